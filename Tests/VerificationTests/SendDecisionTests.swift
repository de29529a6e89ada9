import EventFixtures
import EventSourcing
import Testing
import Verification

@Suite struct SendDecisionTests {
    @Test func aSendIssuesASixDigitCodeStoredOnlyAsAKeyedHash() throws {
        var world = World()
        let (decision, code) = try world.send()
        #expect(code.count == 6 && code.allSatisfy(\.isNumber))
        #expect(EntityID(decision.key.rawValue) == decision.key)
        #expect(decision.expiresAt == t0.adding(seconds: 300))
        #expect(decision.resendAfter == t0.adding(seconds: 60))
        let state = try #require(world.model.code(decision.key))
        #expect(state.issued.codeHash == secrets.codeHash(key: decision.key.rawValue, code: code))
        #expect(state.issued.maskedTo == "+86137****5678")
        #expect(state.status(at: t0) == .pending)
        // Neither the code nor the address appears in any event, in any form we can search for.
        for event in world.recorded {
            let bytes = event.payload + Array(event.stream.rawValue.utf8)
            #expect(!bytes.contains(subsequence: Array(code.utf8)))
            #expect(!bytes.contains(subsequence: Array("13712345678".utf8)))
        }
    }

    @Test func decisionsAreDeterministicGivenTimeAndRandomness() throws {
        var a = World()
        var b = World()
        let first = try a.send(seed: 9)
        let second = try b.send(seed: 9)
        #expect(first.0.key == second.0.key && first.1 == second.1)
        #expect(a.recorded == b.recorded)
    }

    @Test(arguments: [
        ("fax", "+8613712345678", "register", nil, "channel"), ("sms", "12", "register", nil, "to"),
        ("email", "+8613712345678", "register", nil, "to"), ("sms", "+8613712345678", "Register", nil, "operation"),
        ("sms", "+8613712345678", "", nil, "operation"), ("sms", "+8613712345678", String(repeating: "a", count: 33), nil, "operation"),
        ("sms", "+8613712345678", "register", 59, "ttl_seconds"), ("sms", "+8613712345678", "register", 3601, "ttl_seconds"),
    ] as [(String, String, String, Int64?, String)])
    func invalidFieldsAreNamed(channel: String, to: String, operation: String, ttl: Int64?, field: String) {
        #expect {
            _ = try SendDecision.validate(channel: channel, to: to, operation: operation, ttlSeconds: ttl)
        } throws: { error in
            guard case VerificationError.invalid(let named, _) = error else { return false }
            return named == field
        }
    }

    @Test func theResendGapAndTheHourlyLimitApplyPerDestination() throws {
        var world = World()
        _ = try world.send(at: t0)
        #expect(throws: VerificationError.rateLimited(retryAfterSeconds: 60)) { try world.send(at: t0) }
        #expect(throws: VerificationError.rateLimited(retryAfterSeconds: 1)) { try world.send(at: t0.adding(seconds: 59)) }
        _ = try world.send("+8613900000000", at: t0)  // another destination is not limited
        for minute in 1...4 { _ = try world.send(at: t0.adding(seconds: Int64(minute) * 60)) }
        // Five sends in the hour: the sixth waits until the first leaves the window.
        #expect(throws: VerificationError.rateLimited(retryAfterSeconds: 3600 - 300)) {
            try world.send(at: t0.adding(seconds: 300))
        }
        _ = try world.send(at: t0.adding(seconds: 3601))
    }

    @Test func configuredLimitsAreHonoured() throws {
        var world = World()
        let limits = SendDecision.Limits(resendIntervalSeconds: 5, hourlyLimit: 2)
        _ = try world.send(at: t0, limits: limits)
        _ = try world.send(at: t0.adding(seconds: 5), limits: limits)
        #expect(throws: VerificationError.self) { try world.send(at: t0.adding(seconds: 10), limits: limits) }
    }

    @Test func aNewSendCancelsThePendingCodeForTheSameOperationOnly() throws {
        var world = World()
        let (first, _) = try world.send(operation: "register", at: t0)
        let (other, _) = try world.send(operation: "login", at: t0.adding(seconds: 60))
        let (second, _) = try world.send(operation: "register", at: t0.adding(seconds: 120))
        #expect(world.model.code(first.key)?.status(at: t0.adding(seconds: 121)) == .canceled)
        #expect(world.model.code(other.key)?.status(at: t0.adding(seconds: 121)) == .pending)
        #expect(world.model.code(second.key)?.status(at: t0.adding(seconds: 121)) == .pending)
        #expect(second.appends.count == 3)
    }

    @Test func anExpiredPreviousCodeIsNotCanceled() throws {
        var world = World()
        let (first, _) = try world.send(ttl: 60, at: t0)
        let (second, _) = try world.send(at: t0.adding(seconds: 120))
        #expect(second.appends.count == 2)
        #expect(world.model.code(first.key)?.status(at: t0.adding(seconds: 120)) == .expired)
    }
}

extension Array where Element: Equatable {
    func contains(subsequence: [Element]) -> Bool {
        guard !subsequence.isEmpty, subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<$0 + subsequence.count]) == subsequence }
    }
}
