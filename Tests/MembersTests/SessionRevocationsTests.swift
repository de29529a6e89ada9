import EventFixtures
import EventSourcing
import Synchronization
import Testing
@testable import Members

@Suite struct SessionRevocationsTests {
    func append(_ log: InMemoryEventLog, _ event: MemberEvent, member: String) async throws {
        _ = try await log.append(AppendRequest(stream: testStream("member", member), expected: .any, events: [event.newEvent(at: t0)]))
    }

    @Test func everySubscriberGetsEveryRevocationInOrderAndNothingElse() async throws {
        let log = InMemoryEventLog()
        let revocations = SessionRevocations(feed: CommitFeed(log: log, head: 0))
        var first = revocations.subscribe().makeAsyncIterator()
        var second = revocations.subscribe().makeAsyncIterator()
        try await append(log, .claimTaken(ClaimTaken(memberID: "X")), member: "X")
        try await append(log, .loginFailed(LoginFailed()), member: "X")
        try await append(log, .sessionsEnded(SessionsEnded(ids: ["s1", "s2"], reason: "password_changed")), member: "X")
        try await append(log, .sessionsEnded(SessionsEnded(ids: [], reason: "logout")), member: "Y")
        try await append(log, .sessionsEnded(SessionsEnded(ids: ["s9"], reason: "deleted")), member: "Y")
        let x = try #require(await first.next())
        #expect(x.memberID == "X" && x.sessionIDs == ["s1", "s2"] && x.reason == "password_changed" && x.position == 3)
        #expect(await first.next()?.sessionIDs == ["s9"], "nothing else came in between")
        #expect(await second.next()?.sessionIDs == ["s1", "s2"])
        #expect(await second.next()?.sessionIDs == ["s9"])
    }

    @Test func aSubscriberFarBehindReadsHistoryNeverMissingOne() async throws {
        let log = InMemoryEventLog()
        let revocations = SessionRevocations(feed: CommitFeed(log: log, head: 0, capacity: 8))
        var slow = revocations.subscribe().makeAsyncIterator()
        for index in 0..<100 {
            try await append(log, .sessionsEnded(SessionsEnded(ids: ["s\(index)"], reason: "logout")), member: "A")
        }
        var received: [String] = []
        for _ in 0..<100 { received += (await slow.next())?.sessionIDs ?? [] }
        #expect(received == (0..<100).map { "s\($0)" })
    }

    /// A history read that fails (a disk error) is retried: the stream goes on and misses
    /// nothing. It used to end, which ended the gateway's kickouts for good.
    @Test func aFailedHistoryReadIsRetriedNotTheEndOfTheStream() async throws {
        let log = FlakyLog()
        let revocations = SessionRevocations(feed: CommitFeed(log: log, head: 0, capacity: 1))
        var subscriber = revocations.subscribe().makeAsyncIterator()
        log.failingReads.withLock { $0 = true }
        let events = ["s1", "s2", "s3"].map { SessionsEnded(ids: [$0], reason: "logout") }.map { MemberEvent.sessionsEnded($0).newEvent(at: t0) }
        _ = try await log.append(AppendRequest(stream: testStream("member", "A"), expected: .any, events: events))
        Task {
            try await Task.sleep(for: .milliseconds(300))
            log.failingReads.withLock { $0 = false }
        }
        var received: [String] = []
        for _ in 0..<3 { received += (await subscriber.next())?.sessionIDs ?? ["end"] }
        #expect(received == ["s1", "s2", "s3"])
        #expect(log.reads.withLock { $0 } >= 2, "the first read failed and was retried")
    }

    @Test func subscribersSeeOnlyWhatIsCommittedAfterThey() async throws {
        let log = InMemoryEventLog()
        let feed = CommitFeed(log: log, head: 0)
        try await append(log, .sessionsEnded(SessionsEnded(ids: ["old"], reason: "logout")), member: "A")
        var late = SessionRevocations(feed: feed).subscribe().makeAsyncIterator()
        try await append(log, .sessionsEnded(SessionsEnded(ids: ["new"], reason: "disabled")), member: "B")
        #expect(await late.next()?.sessionIDs == ["new"])
    }
}
