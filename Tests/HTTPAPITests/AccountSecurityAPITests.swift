import EventSourcing
import Foundation
import HTTPAPI
import HTTPTypes
import HummingbirdTesting
import Members
import Synchronization
import Testing

/// The account limits under attack: the lockout under concurrency, and how many bytes a
/// small request can make the server append.
@Suite struct AccountSecurityAPITests {
    @Test func thirtyConcurrentGuessesGetAtMostFiveJudgedAndThenTheRightPasswordIs429() async throws {
        let server = try await TestServer()
        try await server.test { client in
            _ = try await client.registerMember("alice")
            let codes = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<30 {
                    group.addTask { try await client.login("alice", "wrong-guess-\(index)").status.code }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let counts = Dictionary(codes.map { ($0, 1) }, uniquingKeysWith: +)
            #expect((counts[401] ?? 0) <= 5, "\(counts)")
            #expect((counts[401] ?? 0) + (counts[429] ?? 0) == 30, "\(counts)")
            let right = try await client.login("alice")
            #expect(right.status == .tooManyRequests && right.errorCode == "too_many_attempts")
            let failures = try await server.allEvents().filter { $0.type == LoginFailed.type }
            #expect(failures.count == counts[401] ?? 0)
        }
    }

    @Test func oneAccountsBurstDoesNotStarveAnotherClientsLogin() async throws {
        // The hasher's queues are per client: a client flooding logins fills only its own.
        let hasher = PasswordHasher(parameters: .testing, threads: 1, maxQueued: 64, maxQueuedPerClient: 4)
        let hash = try await hasher.hash("a password", client: "setup")
        let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
            for _ in 0..<40 {
                group.addTask { ("burst", (try? await hasher.verify("guess", against: hash, client: "10.0.0.1")) != nil) }
            }
            // Another client still gets its hash while the burst is queued.
            group.addTask { ("other", (try? await hasher.verify("a password", against: hash, client: "10.0.0.2")) == true) }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0.0 == "burst" && !$0.1 }.count >= 30)
        #expect(outcomes.contains { $0.0 == "other" && $0.1 })
    }

    @Test func aTinyPatchAppendsATinyEventWhateverTheMemberHolds() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let long = String(repeating: "长", count: 1000)
            for index in 0..<MemberState.maxAddresses {
                let added = try await client.call(
                    .post, "/v1/members/me/addresses",
                    json: #"{"full_name":"Name \#(index)","zip_code":"100000","address":"\#(long)","phone":"+86 137"}"#,
                    headers: bearer(alice.token))
                #expect(added.status == .created)
            }
            let full = try await client.call(
                .post, "/v1/members/me/addresses", json: #"{"full_name":"One more","zip_code":"1","address":"x","phone":"1"}"#,
                headers: bearer(alice.token))
            #expect(full.status == .badRequest && full.error["field"] as? String == "addresses")
            let before = try await server.log.head().size
            let patched = try await client.call(.patch, "/v1/members/me", json: #"{"gender":"male"}"#, headers: bearer(alice.token))
            #expect(patched.status == .ok)
            let appended = try await server.log.read(from: before + 1, limit: 100)
            #expect(appended.count == 1)
            #expect(appended.reduce(0) { $0 + $1.payload.count } < 512, "\(appended.map(\.payload.count))")
            // A combining-mark flood is one character but far too many bytes.
            let flood = "a" + String(repeating: "\\u0301", count: 50_000)
            let refused = try await client.call(.patch, "/v1/members/me", json: #"{"display_name":"\#(flood)"}"#, headers: bearer(alice.token))
            #expect(refused.status == .badRequest && refused.error["field"] as? String == "display_name")
            #expect(try await server.log.head().size == before + 1)
        }
    }
}
