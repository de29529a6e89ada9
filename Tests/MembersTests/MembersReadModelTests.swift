import EventSourcing
import HashTreeCollections
import Testing
@testable import Members

@Suite struct MembersReadModelTests {
    func at(_ seconds: Int64) -> Timestamp { t0.adding(seconds: seconds) }

    @Test func aRegistrationIndexesTheUsernameInAnyCaseAndTheSessionToken() throws {
        var log = MemberLog()
        log.register("m1", username: "Alice")
        let token = log.startSession("s1", member: "m1")
        for name in ["alice", "ALICE", "Alice", "aLiCe"] { #expect(log.model.memberID(username: name) == "m1") }
        #expect(log.model.memberID(username: "bob") == nil)
        #expect(log.model.tokens[token] == .init(memberID: "m1", sessionID: "s1"))
        #expect(log.model.tokens.count == 1)
        let member = try #require(log.model.member("m1"))
        #expect(member.username == "Alice")
        #expect(member.version == 2)
        #expect(member.sessions["s1"]?.createdAt == t0)
        #expect(log.model.claim(.username, "alice") == { var c = ClaimState(); c.holders = ["m1"]; c.version = 1; return c }())
    }

    @Test func fiveFailuresWithinFifteenMinutesLockUntilTheFifthMostRecentPlus900Seconds() throws {
        var log = MemberLog()
        log.register("m1", username: "alice")
        for minute in 0..<4 { log.append(.loginFailed(LoginFailed()), on: testStream("member", "m1"), at: at(Int64(minute) * 60)) }
        #expect(log.model.member("m1")?.lockedUntil(at: at(241)) == nil)
        log.append(.loginFailed(LoginFailed()), on: testStream("member", "m1"), at: at(240))
        var member = try #require(log.model.member("m1"))
        #expect(member.lockedUntil(at: at(241)) == at(900))
        #expect(member.lockedUntil(at: at(899)) == at(900))
        #expect(member.lockedUntil(at: at(900)) == nil)
        // A sixth failure: the fifth most recent is now the one at 60 s.
        log.append(.loginFailed(LoginFailed()), on: testStream("member", "m1"), at: at(300))
        member = try #require(log.model.member("m1"))
        #expect(member.lockedUntil(at: at(301)) == at(960))
        #expect(member.lockedUntil(at: at(1000)) == nil)
    }

    @Test func failuresSpreadBeyondTheWindowDoNotLock() throws {
        var log = MemberLog()
        log.register("m1", username: "alice")
        for i in 0..<5 { log.append(.loginFailed(LoginFailed()), on: testStream("member", "m1"), at: at(Int64(i) * 300)) }
        let member = try #require(log.model.member("m1"))
        #expect(member.recentFailures == [at(600), at(900), at(1200)])
        #expect(member.lockedUntil(at: at(1201)) == nil)
    }

    @Test func aSessionOrPasswordChangeClearsTheFailures() throws {
        var log = MemberLog()
        log.register("m1", username: "alice")
        for i in 0..<5 { log.append(.loginFailed(LoginFailed()), on: testStream("member", "m1"), at: at(Int64(i))) }
        #expect(log.model.member("m1")?.lockedUntil(at: at(5)) != nil)
        log.append(.passwordChanged(PasswordChanged(hash: "$scrypt$new", reason: "reset", actor: "m1")), on: testStream("member", "m1"), at: at(6))
        #expect(log.model.member("m1")?.lockedUntil(at: at(7)) == nil)
        #expect(log.model.member("m1")?.passwordHash == "$scrypt$new")
    }

    @Test func endedSessionsLeaveTheTokenIndex() {
        var log = MemberLog()
        log.register("m1", username: "alice")
        let first = log.startSession("s1", member: "m1")
        let second = log.startSession("s2", member: "m1", at: at(1))
        log.append(.sessionsEnded(SessionsEnded(ids: ["s1"], reason: "logout")), on: testStream("member", "m1"), at: at(2))
        #expect(log.model.tokens[first] == nil)
        #expect(log.model.tokens[second] == .init(memberID: "m1", sessionID: "s2"))
        #expect(log.model.member("m1")?.sessions.keys.sorted() == ["s2"])
    }

    @Test func sessionsExpireByEventTime() throws {
        var log = MemberLog()
        log.register("m1", username: "alice")
        let old = log.startSession("s1", member: "m1", lifetime: 60)
        let member = try #require(log.model.member("m1"))
        #expect(member.activeSessions(at: at(59)).map(\.id) == ["s1"])
        #expect(member.activeSessions(at: at(60)).isEmpty)
        // Events of other streams do not touch the member.
        log.append(.claimTaken(ClaimTaken(memberID: "m2")), on: testStream("username", "bob"), at: at(120))
        #expect(log.model.tokens[old] != nil)
        // A session started after the expiry drops the expired one and its token.
        let new = log.startSession("s2", member: "m1", at: at(121))
        #expect(log.model.tokens[old] == nil)
        #expect(log.model.tokens[new] == .init(memberID: "m1", sessionID: "s2"))
        #expect(log.model.member("m1")?.sessions.keys.sorted() == ["s2"])
    }

    @Test func deletionClearsPersonalDataAndSessions() throws {
        var log = MemberLog()
        log.register("m1", username: "alice")
        let token = log.startSession("s1", member: "m1")
        let question = SealedPart(bytes: [2, 9, 9, 9])
        log.append(.securityQuestionSet(SecurityQuestionSet(question: question, answerHash: [1, 2])), on: testStream("member", "m1"), at: at(1))
        log.append(.emailBound(EmailBound(contact: SealedPart(bytes: [2, 8]), emailKey: "em", actor: "member")), on: testStream("member", "m1"), at: at(1))
        #expect(log.model.member("m1")?.question == question)
        log.append(.deleted(MemberDeleted(actor: "admin-1")), on: testStream("member", "m1"), at: at(2))
        #expect(log.model.member("m1") == nil)
        let deleted = try #require(log.model.members["m1"])
        #expect(deleted.status == .deleted)
        #expect(deleted.profile.isErased && deleted.contact == nil && deleted.question == nil)
        #expect(deleted.phoneKey == nil && deleted.emailKey == nil && deleted.displayNameKey.isEmpty)
        #expect(deleted.answerHash == nil)
        #expect(deleted.sessions.isEmpty)
        #expect(log.model.tokens[token] == nil)
    }

    @Test func passwordResetsFollowTheirStream() throws {
        var log = MemberLog()
        let stream = testStream("passwordreset", "r1")
        let request = ResetRequested(targetKey: "t1", verificationKey: "vk", memberIDs: ["m1", "m2"], expiresAt: at(600))
        log.append(.resetRequested(request), on: stream, at: t0)
        var reset = try #require(log.model.resets["r1"])
        #expect(reset.request == request && reset.requestedAt == t0)
        #expect(reset.attemptsLeft == 5 && !reset.completed && reset.version == 1)
        log.append(.resetCheckFailed(ResetCheckFailed(attemptsLeft: 4)), on: stream, at: at(10))
        reset = try #require(log.model.resets["r1"])
        #expect(reset.attemptsLeft == 4 && reset.version == 2)
        log.append(.resetCompleted(ResetCompleted(memberID: "m1")), on: stream, at: at(20))
        reset = try #require(log.model.resets["r1"])
        #expect(reset.completed && reset.version == 3)
        // Dropped a day after it expires, by event time.
        log.append(.claimTaken(ClaimTaken(memberID: "m1")), on: testStream("username", "a1"), at: at(600 + 86_400))
        #expect(log.model.resets["r1"] != nil)
        log.append(.claimTaken(ClaimTaken(memberID: "m2")), on: testStream("username", "a2"), at: at(601 + 86_400))
        #expect(log.model.resets["r1"] == nil)
    }

    @Test func claimsTrackTheirHolders() {
        var log = MemberLog()
        let stream = testStream("phone", "hash-of-phone")
        log.append(.claimTaken(ClaimTaken(memberID: "m1")), on: stream, at: t0)
        log.append(.claimTaken(ClaimTaken(memberID: "m2")), on: stream, at: t0)
        log.append(.claimReleased(ClaimReleased(memberID: "m1")), on: stream, at: t0)
        #expect(log.model.claim(.phone, "hash-of-phone").holders == ["m2"])
        #expect(log.model.claim(.phone, "hash-of-phone").version == 3)
        #expect(log.model.claim(.phone, "other").holders.isEmpty)
    }

    /// Two members with sessions, failures, an email, claims and a reset in flight.
    func richLog() -> MemberLog {
        var log = MemberLog()
        log.register("m1", username: "Alice")
        log.register("m2", username: "bob_b", at: at(5))
        log.startSession("s1", member: "m1", at: at(10))
        log.startSession("s2", member: "m2", at: at(11))
        log.startSession("s3", member: "m2", at: at(12))
        log.append(.loginFailed(LoginFailed()), on: testStream("member", "m1"), at: at(20))
        log.append(.emailBound(EmailBound(contact: SealedPart(bytes: [2, 7, 7]), emailKey: "em", actor: "m2")), on: testStream("member", "m2"), at: at(21))
        log.append(.sessionsEnded(SessionsEnded(ids: ["s2"], reason: "logout")), on: testStream("member", "m2"), at: at(22))
        log.append(.disabled(MemberDisabled(actor: "admin")), on: testStream("member", "m1"), at: at(23))
        let request = ResetRequested(targetKey: "t2", verificationKey: nil, memberIDs: [], expiresAt: at(900))
        log.append(.resetRequested(request), on: testStream("passwordreset", "r1"), at: at(24))
        log.append(.resetCheckFailed(ResetCheckFailed(attemptsLeft: 3)), on: testStream("passwordreset", "r1"), at: at(25))
        return log
    }

    @Test func aSnapshotRestoresTheSameModel() throws {
        var log = richLog()
        var restored = try MembersReadModel(snapshot: log.model.snapshot())
        #expect(restored.digest == log.model.digest)
        #expect(restored.tokens == log.model.tokens)
        #expect(restored.tokens.count == 2)
        #expect(restored.members == log.model.members)
        #expect(restored.claims == log.model.claims)
        #expect(restored.resets == log.model.resets)
        // And both go on alike, including the reset's expiry.
        log.append(.loginFailed(LoginFailed()), on: testStream("member", "m2"), at: at(900 + 86_401))
        try restored.apply(try #require(log.recorded.last))
        #expect(restored.digest == log.model.digest)
        #expect(restored.resets.isEmpty && log.model.resets.isEmpty)
    }

    @Test func replayingTheSameEventsGivesTheSameDigest() throws {
        let log = richLog()
        var a = MembersReadModel()
        var b = MembersReadModel()
        for event in log.recorded { try a.apply(event) }
        for event in log.recorded { try b.apply(event) }
        #expect(a.digest == b.digest)
        #expect(a.digest == log.model.digest)
        #expect(a.digest != MembersReadModel().digest)
        try b.apply(log.recorded[0])  // one event more changes it
        #expect(a.digest != b.digest)
    }

    @Test func eventsOfOtherDomainsAreIgnored() throws {
        var log = richLog()
        let before = log.model.digest
        let foreign = RecordedEvent(
            position: 999, stream: testStream("verification", "k1"), version: 1, type: "verification.code-issued.v1",
            payload: [1, 2, 3], timestamp: at(30), metadata: .none)
        try log.model.apply(foreign)
        #expect(log.model.digest == before)
    }

    @Test func anUnknownTypeInAMemberStreamIsAnErrorNotSkipped() {
        var log = richLog()
        let stray = RecordedEvent(
            position: 999, stream: testStream("member", "m1"), version: 99, type: "member.something-new.v9",
            payload: [], timestamp: at(30), metadata: .none)
        #expect(throws: EventDecodingError.self) { try log.model.apply(stray) }
        let garbled = RecordedEvent(
            position: 999, stream: testStream("member", "m1"), version: 99, type: PasswordChanged.type,
            payload: [0xFF], timestamp: at(30), metadata: .none)
        #expect(throws: EventDecodingError.self) { try log.model.apply(garbled) }
    }

    @Test func aNewerResetForTheSameTargetCancelsTheOlderOne() throws {
        var log = MemberLog()
        let first = ResetRequested(targetKey: "alice", verificationKey: "k1", memberIDs: ["m1"], expiresAt: at(300))
        let second = ResetRequested(targetKey: "alice", verificationKey: nil, memberIDs: [], expiresAt: at(400))
        let other = ResetRequested(targetKey: "bob", verificationKey: nil, memberIDs: [], expiresAt: at(400))
        log.append(.resetRequested(first), on: testStream("passwordreset", "r1"), at: t0)
        log.append(.resetRequested(other), on: testStream("passwordreset", "r3"), at: at(50))
        #expect(log.model.resets["r1"]?.canceled == false)
        log.append(.resetRequested(second), on: testStream("passwordreset", "r2"), at: at(100))
        #expect(log.model.resets["r1"]?.canceled == true)
        #expect(log.model.resets["r2"]?.canceled == false && log.model.resets["r3"]?.canceled == false)
        #expect(log.model.latestResetByTarget["alice"] == "r2")
    }
}
