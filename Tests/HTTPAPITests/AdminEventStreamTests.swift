import EventSourcing
import Foundation
import ServerKit
import HTTPAPI
import Synchronization
import Testing

/// The admin SSE stream on the commit feed: history, one caught-up marker, then live;
/// resumable by position; filtered by type prefixes.
@Suite struct AdminEventStreamTests {
    /// Frames the stream writes until `done` says so (then the stream is cancelled).
    func frames(_ stream: AdminEventStream, until done: @escaping @Sendable (String) -> Bool) async throws -> String {
        let text = Mutex("")
        let task = Task {
            try await stream.run { chunk in
                let all = text.withLock { $0 += chunk; return $0 }
                if done(all) { throw CancellationError() }
            }
        }
        _ = await task.result
        return text.withLock { $0 }
    }

    @Test func historyThenCaughtUpThenLiveAndAResumeHasNoGapOrDuplicate() async throws {
        let server = try await TestServer()
        try await server.test { client in
            for index in 0..<3 { _ = try await client.sendCode(to: "+861371234560\(index)") }
        }
        let head = try await server.log.head().size
        let registry = server.server.domains.registry
        let feed = server.server.domains.context.feed
        let stream = AdminEventStream(after: 0, prefixes: [], feed: feed, registry: registry)
        let live = Task {
            try await Task.sleep(for: .milliseconds(100))
            try await server.test { client in _ = try await client.sendCode(to: "+8613712345699") }
        }
        let text = try await frames(stream) { $0.contains("id: \(head + 1)\n") }
        _ = try await live.value
        let ids = text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { UInt64($0.dropFirst(4)) }
        let last = try #require(ids.last)
        #expect(last > head && ids == Array(1...last), "every position once, in order, live ones after history")
        let marker = try #require(text.range(of: "event: caught-up\ndata: {\"position\":\(head)}"))
        #expect(text[..<marker.lowerBound].contains("id: \(head)\n") && !text[..<marker.lowerBound].contains("id: \(head + 1)\n"))

        // A reconnect with Last-Event-ID (here: after = 4) resumes right after it.
        let resumed = try await frames(AdminEventStream(after: 4, prefixes: [], feed: feed, registry: registry)) { $0.contains("caught-up") }
        let resumedIDs = resumed.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { UInt64($0.dropFirst(4)) }
        #expect(resumedIDs == Array(5...last))

        // Type prefixes filter; the stream still reaches caught-up.
        let codes = try await frames(AdminEventStream(after: 0, prefixes: ["verification.code-issued"], feed: feed, registry: registry)) {
            $0.contains("caught-up")
        }
        #expect(codes.components(separatedBy: "verification.code-issued.v1").count - 1 == 4)
        #expect(!codes.contains("verification.send-recorded.v1"))
    }

    /// A subscriber whose `types` match nothing on a busy log still gets a comment line after
    /// every heartbeat without a write (a proxy would drop a connection that stays silent).
    @Test func aFilteredOutBusyLogStillKeepsTheConnectionAlive() async throws {
        let server = try await TestServer()
        let feed = server.server.domains.context.feed
        let stream = AdminEventStream(
            after: try await server.log.head().size, prefixes: ["nothing.matches"], feed: feed, registry: server.server.domains.registry,
            heartbeat: .milliseconds(500))
        let busyEnded = Mutex(false)
        let busy = Task {
            defer { busyEnded.withLock { $0 = true } }
            try await server.test { client in
                for index in 0..<200 where !Task.isCancelled {
                    _ = try await client.sendCode(to: "+8613712\(String(100_000 + index))")
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
        }
        let sawWhileBusy = Mutex(false)
        let text = try await frames(stream) { text in
            guard text.contains(": keep-alive") else { return false }
            sawWhileBusy.withLock { $0 = !busyEnded.withLock { $0 } }
            return true
        }
        busy.cancel()
        _ = await busy.result
        #expect(sawWhileBusy.withLock { $0 }, "no comment line while filtered-out events went by")
        #expect(!text.contains("id: "))
    }
}
