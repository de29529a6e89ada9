public import EventSourcing
import Hummingbird
import HTTPTypes
import ServerKit
import ServiceLifecycle

/// The admin SSE subscription (API.md Operations): every event after `after` (or after the
/// `Last-Event-ID` a reconnecting client sends), read from history, then one
/// `event: caught-up`, then live from the commit feed; each event's `id:` is its log
/// position, so a reconnect resumes with no gap and no duplicate. A comment line after
/// every 15 s without a write keeps quiet connections (and their proxies) alive, also when
/// events go by that `types` filters out. `types` keeps the events whose type starts with
/// one of its comma-separated prefixes. A consumer slower than the log reads history from
/// the feed, never an unbounded buffer.
public struct AdminEventStream: Sendable {
    let after: LogPosition
    let prefixes: [String]
    let feed: CommitFeed
    let registry: EventRegistry
    let heartbeat: Duration

    public init(after: LogPosition, prefixes: [String], feed: CommitFeed, registry: EventRegistry, heartbeat: Duration = .seconds(15)) {
        (self.after, self.prefixes, self.feed, self.registry, self.heartbeat) = (after, prefixes, feed, registry, heartbeat)
    }

    /// Reads `after` (or `Last-Event-ID`) and `types` from `request`.
    init(request: Request, feed: CommitFeed, registry: EventRegistry) throws {
        let after: LogPosition
        if let lastEventID = request.headers[HTTPField.Name("Last-Event-ID")!] {
            guard let position = UInt64(lastEventID), position <= UInt64(Int64.max) else {
                throw APIError.validation(field: "Last-Event-ID", "Last-Event-ID must be a log position.")
            }
            after = position
        } else {
            after = try request.queryInteger("after", default: 0)
        }
        let types = request.uri.queryParameters.get("types") ?? ""
        let prefixes = types.split(separator: ",").map { String($0) }
        guard prefixes.count <= 32, prefixes.allSatisfy({ (1...128).contains($0.utf8.count) }) else {
            throw APIError.validation(field: "types", "types must be up to 32 comma-separated prefixes of 1-128 bytes.")
        }
        self.init(after: after, prefixes: prefixes, feed: feed, registry: registry)
    }

    /// Writes the stream through `write` until the client goes (a write fails) or the
    /// server shuts down.
    public func run(_ write: (String) async throws -> Void) async throws {
        var cursor = after
        var caughtUp = false
        let headAtStart = feed.head
        if cursor >= headAtStart {
            try await write(caughtUpFrame(cursor))
            caughtUp = true
        }
        var lastWrite = ContinuousClock.now
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let events = try await feed.events(after: cursor, limit: 256, timeout: heartbeat)
            guard let last = events.last else {
                try await write(": keep-alive\n\n")
                lastWrite = .now
                continue
            }
            var text = ""
            for event in events where prefixes.isEmpty || prefixes.contains(where: { event.type.hasPrefix($0) }) {
                text += "id: \(event.position)\ndata: \(registry.line(event))\n\n"
            }
            cursor = last.position
            if !caughtUp && cursor >= headAtStart {
                text += caughtUpFrame(cursor)
                caughtUp = true
            }
            if !text.isEmpty {
                try await write(text)
                lastWrite = .now
            } else if ContinuousClock.now - lastWrite >= heartbeat {
                // Events go by, all filtered out: the connection is quiet all the same.
                try await write(": keep-alive\n\n")
                lastWrite = .now
            }
        }
    }

    func caughtUpFrame(_ position: LogPosition) -> String { "event: caught-up\ndata: {\"position\":\(position)}\n\n" }
}
