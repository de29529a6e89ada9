import Testing
import Members

@Suite struct PasswordHasherTests {
    @Test func hashesThenVerifies() async throws {
        let hasher = PasswordHasher(parameters: .testing, threads: 1, maxQueued: 4)
        let hash = try await hasher.hash("s3cret passphrase")
        #expect(hash.encoded.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        #expect(try await hasher.verify("s3cret passphrase", against: hash))
        #expect(try await hasher.verify("s3cret passphrasE", against: hash) == false)
    }

    @Test func eachHashHasItsOwnSalt() async throws {
        let hasher = PasswordHasher(parameters: .testing, threads: 2, maxQueued: 4)
        let a = try await hasher.hash("same password")
        let b = try await hasher.hash("same password")
        #expect(a != b)
        #expect(try await hasher.verify("same password", against: a))
        #expect(try await hasher.verify("same password", against: b))
    }

    @Test func verifyingAgainstNoHashIsFalse() async throws {
        let hasher = PasswordHasher(parameters: .testing, threads: 1, maxQueued: 4)
        #expect(try await hasher.verify("anything at all", against: nil) == false)
        #expect(try await hasher.verify("", against: nil) == false)
    }

    @Test func verifyingAgainstNoHashStillGoesThroughTheQueue() async throws {
        // The work for an unknown account is real: it is refused like any hash when the queue is full.
        let hasher = PasswordHasher(parameters: .testing, threads: 1, maxQueued: 0)
        await #expect(throws: PasswordHasher.Busy.self) { try await hasher.verify("pw", against: nil) }
    }

    @Test func aZeroQueueRefusesEverything() async throws {
        let hash = try await PasswordHasher(parameters: .testing, threads: 1, maxQueued: 1).hash("pw")
        let hasher = PasswordHasher(parameters: .testing, threads: 1, maxQueued: 0)
        await #expect(throws: PasswordHasher.Busy.self) { try await hasher.hash("pw") }
        await #expect(throws: PasswordHasher.Busy.self) { try await hasher.verify("pw", against: hash) }
    }

    @Test func sequentialHashesReleaseTheirQueueSlot() async throws {
        let hasher = PasswordHasher(parameters: .testing, threads: 1, maxQueued: 1)
        for i in 0..<4 { _ = try await hasher.hash("password \(i)") }
        #expect(try await hasher.verify("x", against: nil) == false)
    }

    @Test func aBurstBeyondTheQueueIsRefusedAtOnce() async throws {
        let hasher = PasswordHasher(parameters: .init(logN: 14, r: 8, p: 1), threads: 1, maxQueued: 2)
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<6 {
                group.addTask {
                    do {
                        _ = try await hasher.hash("password \(i)")
                        return true
                    } catch is PasswordHasher.Busy {
                        return false
                    }
                }
            }
            var outcomes: [Bool] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.count == 6)
        #expect(outcomes.contains(true))
        #expect(outcomes.contains(false))
        // The refused ones gave their slot back: the hasher works again.
        let hash = try await hasher.hash("after the burst")
        #expect(try await hasher.verify("after the burst", against: hash))
    }
}
