import EventSourcing
import Testing
import Verification

@Suite struct CodeDecisionTests {
    @Test func theRightCodeApprovesOnceAndOnlyOnce() throws {
        var world = World()
        let (decision, code) = try world.send()
        #expect(try world.check(decision.key, code, at: t0.adding(seconds: 10)) == .codeChecked(CodeChecked(approved: true, attemptsLeft: 5)))
        #expect(world.model.code(decision.key)?.status(at: t0.adding(seconds: 11)) == .approved)
        #expect(throws: VerificationError.alreadyUsed) { try world.check(decision.key, code, at: t0.adding(seconds: 12)) }
    }

    @Test func fiveWrongChecksLockTheCodeForGood() throws {
        var world = World()
        let (decision, code) = try world.send()
        let wrong = code == "000000" ? "111111" : "000000"
        for left in (0..<5).reversed() {
            #expect(try world.check(decision.key, wrong, at: t0.adding(seconds: 1)) == .codeChecked(CodeChecked(approved: false, attemptsLeft: left)))
        }
        #expect(world.model.code(decision.key)?.status(at: t0.adding(seconds: 2)) == .maxAttemptsReached)
        #expect(throws: VerificationError.tooManyAttempts) { try world.check(decision.key, code, at: t0.adding(seconds: 2)) }
    }

    @Test func expiryIsJudgedByTime() throws {
        var world = World()
        let (decision, code) = try world.send(ttl: 60)
        #expect(throws: VerificationError.expired) { try world.check(decision.key, code, at: t0.adding(seconds: 60)) }
        #expect(world.model.code(decision.key)?.status(at: t0.adding(seconds: 59)) == .pending)
    }

    @Test func canceledDestroyedAndUnknownCodesAreRefused() throws {
        var world = World()
        let (first, code) = try world.send(at: t0)
        _ = try world.send(at: t0.adding(seconds: 60))
        #expect(throws: VerificationError.canceled) { try world.check(first.key, code, at: t0.adding(seconds: 61)) }
        let (third, thirdCode) = try world.send(operation: "login", at: t0.adding(seconds: 120))
        world.apply(try CodeDecisions.destroy(state: world.model.code(third.key)), key: third.key, at: t0.adding(seconds: 121))
        #expect(throws: VerificationError.notFound) { try world.check(third.key, thirdCode, at: t0.adding(seconds: 122)) }
        #expect(throws: VerificationError.notFound) { try CodeDecisions.destroy(state: world.model.code(third.key)) }
        #expect(throws: VerificationError.notFound) {
            try CodeDecisions.check(code: "123456", state: nil, secrets: secrets, now: t0)
        }
    }

    @Test(arguments: ["", "12345", "1234567", "12345a", "１２３４５６"])
    func malformedCodesAreRefusedWithoutSpendingAnAttempt(code: String) throws {
        var world = World()
        let (decision, _) = try world.send()
        #expect(throws: VerificationError.invalid(field: "code", reason: "code must be 6 digits")) {
            try world.check(decision.key, code, at: t0.adding(seconds: 1))
        }
        #expect(world.model.code(decision.key)?.attemptsLeft == 5)
    }

    @Test func aCodeFromAnotherKeyDoesNotMatch() throws {
        var world = World()
        let (first, firstCode) = try world.send("+8613700000001", seed: 1)
        let (second, secondCode) = try world.send("+8613700000002", seed: 2)
        if firstCode != secondCode {
            #expect(try world.check(second.key, firstCode, at: t0) == .codeChecked(CodeChecked(approved: false, attemptsLeft: 4)))
        }
        #expect(world.model.code(first.key)?.issued.codeHash != world.model.code(second.key)?.issued.codeHash)
    }
}
