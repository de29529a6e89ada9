import Crypto
import EventSourcing
import Testing
import Verification
@testable import Members

/// The member decisions without a log, a service or HTTP: commands, the model, time and
/// a random source in; appends and an answer out.
@Suite struct MemberDecisionTests {
    let m1 = "01KB7Y3Q0000000000000000AA"
    let keys = LookupKeys(secrets: CodeSecrets(secret: Array(repeating: 9, count: 32)))
    let seal = PersonalDataSeal(memberID: "01KB7Y3Q0000000000000000AA", key: SymmetricKey(data: Array(repeating: 1, count: 32)))

    func registration(_ username: String = "alice", name: String = "Alice") -> MemberDecisions.Registration {
        MemberDecisions.Registration(
            memberID: .example, username: username, profile: .init(displayName: name), phone: nil, email: nil, passwordHash: "$scrypt$x",
            phoneConsumption: nil)
    }

    @Test func aRegistrationAppendsTheMemberAndItsClaimsAtomically() throws {
        var random = SplitMix64(seed: 1)
        let decision = try MemberDecisions.register(
            registration(), in: MembersReadModel(), seal: seal, keys: keys, now: t0, metadata: .none, random: &random)
        #expect(decision.appends.map(\.stream.rawValue) == ["member-\(EntityID.example)", "username-alice", "displayname-\(keys.displayName("Alice"))"])
        #expect(decision.appends[0].expected == .noStream && decision.appends[1].expected == .exactly(0))
        #expect(decision.appends[0].events.map(\.type) == [MemberRegistered.type, SessionStarted.type])
        #expect(decision.answer.session.token.hasPrefix("lbk_") && decision.answer.me.personal.displayName == "Alice")
    }

    @Test func theSameInputsDecideTheSameEvents() throws {
        func decide() throws -> [StreamAppend] {
            var random = SplitMix64(seed: 42)
            return try MemberDecisions.register(
                registration(), in: MembersReadModel(), seal: seal, keys: keys, now: t0, metadata: .none, random: &random).appends
        }
        #expect(try decide() == decide())
    }

    @Test func aTakenNameIsRefusedBeforeAnythingIsAppended() throws {
        var log = MemberLog()
        log.register(m1, username: "alice")
        var random = SplitMix64(seed: 2)
        #expect(throws: MemberError.usernameTaken) {
            _ = try MemberDecisions.register(
                registration("ALICE", name: "Other"), in: log.model, seal: seal, keys: keys, now: t0, metadata: .none, random: &random)
        }
    }

    @Test func aLoginAtTheSessionLimitEndsTheOldestFirst() throws {
        var log = MemberLog()
        log.register(m1, username: "alice")
        for index in 0..<MemberState.maxSessions { log.startSession("s\(index)", member: m1, at: t0.adding(seconds: Int64(index))) }
        var random = SplitMix64(seed: 3)
        let decision = try MemberDecisions.startSession(
            for: m1, checkedHash: "$scrypt$x", method: "password", in: log.model, now: t0.adding(seconds: 500), metadata: .none,
            random: &random)
        let events = decision.appends[0].events.map(\.type)
        #expect(events == [SessionsEnded.type, SessionStarted.type])
        let ended = try SessionsEnded(payload: decision.appends[0].events[0].payload)
        #expect(ended.ids == ["s0"] && ended.reason == "session_limit")
        // A password changed since the check refuses the login.
        #expect(throws: MemberError.invalidCredentials) {
            _ = try MemberDecisions.startSession(
                for: m1, checkedHash: "$scrypt$other", method: "password", in: log.model, now: t0, metadata: .none, random: &random)
        }
    }

    @Test func aProfileChangeSealsOnlyTheProfileAndMovesTheNameClaim() throws {
        var log = MemberLog()
        log.register(m1, username: "alice")
        let member = try #require(log.model.member(m1))
        let old = PersonalData(profile: .init(displayName: "Alice"))
        var random = SplitMix64(seed: 4)
        let decision = try MemberDecisions.changeProfile(
            member, from: old, .init(displayName: "Alicia", gender: .female), actor: "member", in: log.model, seal: seal, keys: keys,
            now: t0, metadata: .none, random: &random)
        #expect(decision.answer.displayName == "Alicia" && decision.answer.gender == .female)
        #expect(decision.appends.map(\.stream.rawValue) == ["member-\(m1)", "displayname-\(keys.displayName("Alicia"))"])
        let event = try ProfileUpdated(payload: decision.appends[0].events[0].payload)
        #expect(seal.profile(event.profile) == decision.answer.profile)
    }

    @Test func resetsRefuseAlikeWhateverTheirKind() throws {
        let real = MembersReadModel.ResetState(
            request: ResetRequested(targetKey: "t", verificationKey: "k", memberIDs: ["m1"], expiresAt: t0.adding(seconds: 300)),
            requestedAt: t0)
        var decoy = real
        decoy.request.verificationKey = nil
        decoy.request.memberIDs = []
        for reset in [real, decoy] {
            #expect(throws: MemberError.expired) { _ = try MemberDecisions.usableReset(reset, now: t0.adding(seconds: 300)) }
            var canceled = reset
            canceled.canceled = true
            #expect(throws: MemberError.canceled) { _ = try MemberDecisions.usableReset(canceled, now: t0) }
            var spent = reset
            spent.attemptsLeft = 0
            #expect(throws: MemberError.tooManyAttempts) { _ = try MemberDecisions.usableReset(spent, now: t0) }
            let wrong = MemberDecisions.resetCodeWrong(resetID: .example, reset, now: t0, metadata: .none)
            #expect(wrong.answer == 4 && wrong.appends[0].expected == .exactly(1))
        }
        #expect(throws: MemberError.notFound) { _ = try MemberDecisions.usableReset(nil, now: t0) }
    }
}
