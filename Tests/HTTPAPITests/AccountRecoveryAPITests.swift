import EventSourcing
import HTTPAPI
import HTTPTypes
import HummingbirdTesting
import Members
import Testing
import Verification

@Suite struct AccountRecoveryAPITests {
    @Test func anEmailIsBoundWithItsCode() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let sent = try await client.call(.post, "/v1/members/me/email", json: #"{"email":"alice@example.com"}"#, headers: bearer(alice.token))
            #expect(sent.status == .accepted)
            let key = try #require(sent["verification_key"] as? String)
            #expect(sent["resend_after"] as? String == server.clock.now.adding(seconds: 60).rfc3339)
            let message = try #require(await { await server.worker.deliverDue(); return server.outbox.messages(to: "alice@example.com").first }())
            #expect(message.message.operation == "bind_email")
            let code = message.message.code
            let wrong = try await client.call(
                .post, "/v1/members/me/email/confirm", json: #"{"verification_key":"\#(key)","code":"\#(code == "000000" ? "111111" : "000000")"}"#,
                headers: bearer(alice.token))
            #expect(wrong.status == .unprocessableContent && wrong.errorCode == "code_incorrect" && wrong.error["attempts_left"] as? Int == 4)
            let confirmed = try await client.call(
                .post, "/v1/members/me/email/confirm", json: #"{"verification_key":"\#(key)","code":"\#(code)"}"#, headers: bearer(alice.token))
            #expect(confirmed.status == .ok)
            #expect(confirmed["email"] as? String == "alice@example.com" && confirmed["email_verified"] as? Bool == true)
            #expect(try await client.me(alice.token)["email_verified"] as? Bool == true)
            // Another member cannot confirm with this key.
            let bob = try await client.registerMember("bob")
            let stolen = try await client.call(
                .post, "/v1/members/me/email/confirm", json: #"{"verification_key":"\#(key)","code":"\#(code)"}"#, headers: bearer(bob.token))
            #expect(stolen.status == .notFound)
        }
    }

    @Test func resetByUsernameSendsToTheBoundEmailAndRevokesEverySession() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice", extra: #","email":"a@example.com""#)
            _ = try await server.members.adminSetEmail(alice.id, email: "a@example.com")
            let started = try await client.call(.post, "/v1/password-resets", json: #"{"username":"alice"}"#)
            #expect(started.status == .accepted)
            let resetKey = try #require(started["verification_key"] as? String)
            // The reset key is not a verification key: it tells nothing through /v1/verifications.
            #expect(try await client.call(.get, "/v1/verifications/\(resetKey)").status == .notFound)
            await server.worker.deliverDue()
            let message = try #require(server.outbox.messages(to: "a@example.com").first)
            #expect(message.message.operation == "reset_password")
            let weak = try await client.call(
                .post, "/v1/password-resets/confirm", json: #"{"verification_key":"\#(resetKey)","code":"\#(message.message.code)","new_password":"short"}"#)
            #expect(weak.errorCode == "weak_password")
            let done = try await client.call(
                .post, "/v1/password-resets/confirm",
                json: #"{"verification_key":"\#(resetKey)","code":"\#(message.message.code)","new_password":"a-new-password-9"}"#)
            #expect(done.status == .noContent)
            #expect(try await client.me(alice.token).status == .unauthorized)
            #expect(try await client.login("alice").status == .unauthorized)
            #expect(try await client.login("alice", "a-new-password-9").status == .created)
            let reused = try await client.call(
                .post, "/v1/password-resets/confirm",
                json: #"{"verification_key":"\#(resetKey)","code":"\#(message.message.code)","new_password":"another-pass-10"}"#)
            #expect(reused.status == .notFound)
        }
    }

    @Test func resetsNeverRevealWhetherAnAccountExists() async throws {
        let server = try await TestServer()
        try await server.test { client in
            _ = try await client.registerMember("alice", extra: #","phone":"13712345678","phone_verification_key":"\#(try await server.approvedKey(client, to: "+8613712345678", operation: "register"))""#)
            server.clock.advance(seconds: 61)
            for (real, decoy) in [(#"{"username":"alice"}"#, #"{"username":"nobody"}"#), (#"{"phone":"13712345678"}"#, #"{"phone":"13700000000"}"#)] {
                let a = try await client.call(.post, "/v1/password-resets", json: real)
                let b = try await client.call(.post, "/v1/password-resets", json: decoy)
                #expect(a.status == .accepted && b.status == .accepted)
                #expect(Set(a.json.keys) == Set(b.json.keys) && a["resend_after"] as? String == b["resend_after"] as? String)
                for reply in [a, b] {
                    let key = try #require(reply["verification_key"] as? String)
                    #expect(try await client.call(.get, "/v1/verifications/\(key)").status == .notFound)
                    var lefts: [Int] = []
                    for _ in 0..<5 {
                        let wrong = try await client.call(
                            .post, "/v1/password-resets/confirm", json: #"{"verification_key":"\#(key)","code":"999999","new_password":"a-new-password-9"}"#)
                        #expect(wrong.status == .unprocessableContent && wrong.errorCode == "code_incorrect")
                        lefts.append(wrong.error["attempts_left"] as? Int ?? -1)
                    }
                    #expect(lefts == [4, 3, 2, 1, 0])
                    let locked = try await client.call(
                        .post, "/v1/password-resets/confirm", json: #"{"verification_key":"\#(key)","code":"999999","new_password":"a-new-password-9"}"#)
                    #expect(locked.status == .tooManyRequests && locked.errorCode == "too_many_attempts")
                    #expect(locked.headers[.retryAfter] == nil && locked.error["retry_after_seconds"] == nil, "spent for good")
                }
                server.clock.advance(seconds: 61)
            }
            #expect(try await client.call(.post, "/v1/password-resets", json: #"{"username":"a","email":"b@example.com"}"#).status == .badRequest)
        }
    }

    @Test func theSecurityAnswerIsStoredOnlyAsAHash() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let set = try await client.call(
                .put, "/v1/members/me/security-question", json: #"{"question":"First pet?","answer":"  Rex The Dog "}"#, headers: bearer(alice.token))
            #expect(set.status == .noContent)
            let empty = try await client.call(
                .put, "/v1/members/me/security-question", json: #"{"question":"First pet?","answer":" "}"#, headers: bearer(alice.token))
            #expect(empty.error["field"] as? String == "answer")
            // API.md: free text with no limit of its own takes up to 1,000 characters.
            let long = String(repeating: "问", count: 1_000)
            let longest = try await client.call(
                .put, "/v1/members/me/security-question", json: #"{"question":"\#(long)","answer":"Rex The Dog"}"#, headers: bearer(alice.token))
            #expect(longest.status == .noContent)
            let tooLong = try await client.call(
                .put, "/v1/members/me/security-question", json: #"{"question":"\#(long)问","answer":"Rex The Dog"}"#, headers: bearer(alice.token))
            #expect(tooLong.status == .badRequest && tooLong.error["field"] as? String == "question")
            let member = try #require(server.memberModel.read { model, _ in model.member(alice.id) })
            let hash = try #require(member.answerHash)
            #expect(PasswordHash(encoded: String(decoding: hash, as: UTF8.self))?.matches("rex the dog") == true)
            for event in try await server.allEvents() {
                #expect(!event.payload.contains(text: "Rex") && !event.payload.contains(text: "rex the dog"))
                #expect(!event.payload.contains(text: "First pet"))
            }
        }
    }
}
