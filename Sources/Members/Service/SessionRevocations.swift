public import EventSourcing
import Logging

/// Sessions ended by the log (logout, password change or reset, disabling, deletion), as
/// they commit, so a live socket of a revoked session can be kicked out (seed 001's
/// kickout; the sockets come with messaging).
///
/// A consumer of the commit feed: each subscriber pulls from its own cursor, so nothing is
/// buffered for it and nothing is ever dropped; one that falls behind reads history.
public struct SessionRevocations: Sendable {
    public struct Revocation: Hashable, Sendable {
        public var memberID: String
        public var sessionIDs: [String]
        public var reason: String
        /// The position of the `sessions-ended` event.
        public var position: LogPosition
    }

    let feed: CommitFeed
    /// Where its warnings go (the process's log handler).
    static let logger = Logger(label: "logbook.revocations")

    public init(feed: CommitFeed) { self.feed = feed }

    /// The revocations among `events`.
    public static func revocations(in events: [RecordedEvent]) -> [Revocation] {
        events.compactMap { event in
            guard event.type == SessionsEnded.type, let ended = try? SessionsEnded(payload: event.payload), !ended.ids.isEmpty else {
                return nil
            }
            return Revocation(memberID: String(event.stream.id), sessionIDs: ended.ids, reason: ended.reason, position: event.position)
        }
    }

    /// Revocations committed after `cursor` (waiting for the next commit when there are
    /// none, until `timeout`), with the cursor to ask from next.
    public func next(after cursor: LogPosition, timeout: Duration? = nil) async throws -> (revocations: [Revocation], cursor: LogPosition) {
        let events = try await feed.events(after: cursor, limit: 4096, timeout: timeout)
        return (Self.revocations(in: events), events.last?.position ?? cursor)
    }

    /// Every revocation committed from now on, pulled from the feed as the consumer asks
    /// (ends when the consumer's task is cancelled).
    public func subscribe() -> AsyncStream<Revocation> {
        let start = feed.head
        let state = CursorBox(start)
        return AsyncStream(unfolding: {
            while !Task.isCancelled {
                if let ready = state.pop() { return ready }
                do {
                    let (found, cursor) = try await next(after: state.cursor)
                    state.push(found, cursor: cursor)
                    if state.unreadable { Self.logger.info("session revocations read the log again") }
                    state.unreadable = false
                } catch {
                    // The log could not be read (a disk error): read again shortly from the
                    // same cursor. Ending the stream would end every kickout from then on.
                    if !state.unreadable { Self.logger.warning("session revocations cannot read the log", metadata: ["error": "\(error)"]) }
                    state.unreadable = true
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            return nil
        })
    }
}

/// A subscriber's cursor and the revocations it read but has not handed out yet.
final class CursorBox: @unchecked Sendable {
    // Used by one AsyncStream's unfolding closure, which runs one call at a time.
    private(set) var cursor: LogPosition
    private var ready: [SessionRevocations.Revocation] = []
    /// The last read of the log failed (its warning was logged once for the streak).
    var unreadable = false

    init(_ cursor: LogPosition) { self.cursor = cursor }

    func pop() -> SessionRevocations.Revocation? { ready.isEmpty ? nil : ready.removeFirst() }

    func push(_ found: [SessionRevocations.Revocation], cursor: LogPosition) {
        ready += found
        self.cursor = cursor
    }
}
