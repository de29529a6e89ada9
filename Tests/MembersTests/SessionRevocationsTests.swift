import EventSourcing
import Testing
@testable import Members

@Suite struct SessionRevocationsTests {
    func recorded(_ event: MemberEvent, on stream: StreamID, position: LogPosition = 1) -> RecordedEvent {
        let new = event.newEvent(at: t0)
        return RecordedEvent(
            position: position, stream: stream, version: 1, type: new.type, payload: new.payload, timestamp: t0,
            metadata: .none)
    }

    @Test func endedSessionsArePublishedToSubscribers() async throws {
        let revocations = SessionRevocations()
        var first = revocations.subscribe().makeAsyncIterator()
        var second = revocations.subscribe().makeAsyncIterator()
        revocations.publish(from: [
            recorded(.claimTaken(ClaimTaken(memberID: "X")), on: testStream("username", "x")),
            recorded(.loginFailed(LoginFailed()), on: testStream("member", "X")),
            recorded(.sessionsEnded(SessionsEnded(ids: ["s1", "s2"], reason: "password_changed")), on: testStream("member", "X")),
            recorded(.sessionsEnded(SessionsEnded(ids: [], reason: "logout")), on: testStream("member", "Y")),
        ])
        revocations.publish(from: [recorded(.sessionsEnded(SessionsEnded(ids: ["s9"], reason: "deleted")), on: testStream("member", "Y"))])
        let expectedX = SessionRevocations.Revocation(memberID: "X", sessionIDs: ["s1", "s2"], reason: "password_changed")
        let expectedY = SessionRevocations.Revocation(memberID: "Y", sessionIDs: ["s9"], reason: "deleted")
        #expect(await first.next() == expectedX)
        #expect(await first.next() == expectedY)  // nothing else came in between
        #expect(await second.next() == expectedX)
        #expect(await second.next() == expectedY)
    }

    @Test func subscribersSeeOnlyWhatIsPublishedAfterThey() async {
        let revocations = SessionRevocations()
        revocations.publish(from: [recorded(.sessionsEnded(SessionsEnded(ids: ["old"], reason: "logout")), on: testStream("member", "A"))])
        var late = revocations.subscribe().makeAsyncIterator()
        revocations.publish(from: [recorded(.sessionsEnded(SessionsEnded(ids: ["new"], reason: "disabled")), on: testStream("member", "B"))])
        #expect(await late.next() == .init(memberID: "B", sessionIDs: ["new"], reason: "disabled"))
    }

    @Test func aSubscriberThatFallsBehindIsCutOffNotSilentlyShortened() async {
        let revocations = SessionRevocations()
        var slow = revocations.subscribe().makeAsyncIterator()
        for index in 0..<(SessionRevocations.bufferLimit + 1) {
            revocations.publish(from: [recorded(.sessionsEnded(SessionsEnded(ids: ["s\(index)"], reason: "logout")), on: testStream("member", "A"))])
        }
        // Everything it was sent arrives, in order, then the stream ends: never a gap.
        var received: [String] = []
        while let next = await slow.next() { received += next.sessionIDs }
        #expect(received == (0..<SessionRevocations.bufferLimit).map { "s\($0)" })
        // A new subscriber is served as usual.
        var fresh = revocations.subscribe().makeAsyncIterator()
        revocations.publish(from: [recorded(.sessionsEnded(SessionsEnded(ids: ["later"], reason: "logout")), on: testStream("member", "B"))])
        #expect(await fresh.next()?.sessionIDs == ["later"])
    }
}
