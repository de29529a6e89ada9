import EventSourcing
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Testing
import Verification

@Suite struct VerificationAPITests {
    @Test func sendReadAndApproveACode() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let sent = try await client.call(.post, "/v1/verifications", json: #"{"channel":"sms","to":"13712345678","operation":"register","ttl_seconds":120}"#)
            #expect(sent.status == .created)
            #expect(sent["to"] as? String == "+86137****5678")
            #expect(sent["status"] as? String == "pending")
            #expect(sent["channel"] as? String == "sms" && sent["operation"] as? String == "register")
            #expect(sent["expires_at"] as? String == server.clock.now.adding(seconds: 120).rfc3339)
            #expect(sent["resend_after"] as? String == server.clock.now.adding(seconds: 60).rfc3339)
            let key = try #require(sent["key"] as? String)
            let status = try await client.call(.get, "/v1/verifications/\(key)")
            #expect(status.status == .ok)
            #expect(status["status"] as? String == "pending" && status["attempts_left"] as? Int == 5)
            #expect(status["code"] == nil)
            let code = try #require(await server.deliveredCode())
            let checked = try await client.call(.post, "/v1/verifications/\(key)/check", json: #"{"code":"\#(code)"}"#)
            #expect(checked.status == .ok && checked["status"] as? String == "approved")
            #expect(try await client.call(.get, "/v1/verifications/\(key)")["status"] as? String == "approved")
            let again = try await client.call(.post, "/v1/verifications/\(key)/check", json: #"{"code":"\#(code)"}"#)
            #expect(again.status == .conflict && again.errorCode == "already_used")
        }
    }

    @Test func wrongCodesCountDownThenLockForGood() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let key = try await client.sendCode()
            let code = try #require(await server.deliveredCode())
            let wrong = code == "000000" ? "111111" : "000000"
            for left in (0..<5).reversed() {
                let reply = try await client.call(.post, "/v1/verifications/\(key)/check", json: #"{"code":"\#(wrong)"}"#)
                #expect(reply.status == .unprocessableContent && reply.errorCode == "code_incorrect")
                #expect(reply.error["attempts_left"] as? Int == left)
            }
            let locked = try await client.call(.post, "/v1/verifications/\(key)/check", json: #"{"code":"\#(code)"}"#)
            #expect(locked.status == .tooManyRequests && locked.errorCode == "too_many_attempts")
            // For good: no Retry-After (waiting never helps), so clients do not retry in a loop.
            #expect(locked.headers[.retryAfter] == nil && locked.error["retry_after_seconds"] == nil)
            #expect(try await client.call(.get, "/v1/verifications/\(key)")["status"] as? String == "max_attempts_reached")
        }
    }

    @Test func expiredCanceledUnknownAndDestroyedCodes() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let first = try await client.sendCode(operation: "login")
            let firstCode = try #require(await server.deliveredCode())
            server.clock.advance(seconds: 60)
            let second = try await client.sendCode(operation: "login")
            let canceled = try await client.call(.post, "/v1/verifications/\(first)/check", json: #"{"code":"\#(firstCode)"}"#)
            #expect(canceled.status == .gone && canceled.errorCode == "canceled")
            #expect(try await client.call(.get, "/v1/verifications/\(first)")["status"] as? String == "canceled")
            let secondCode = try #require(await server.deliveredCode())
            server.clock.advance(seconds: 300)
            let expired = try await client.call(.post, "/v1/verifications/\(second)/check", json: #"{"code":"\#(secondCode)"}"#)
            #expect(expired.status == .gone && expired.errorCode == "expired")
            #expect(try await client.call(.get, "/v1/verifications/\(second)")["status"] as? String == "expired")
            let destroyed = try await client.call(.delete, "/v1/verifications/\(second)")
            #expect(destroyed.status == .noContent)
            #expect(try await client.call(.get, "/v1/verifications/\(second)").status == .notFound)
            #expect(try await client.call(.delete, "/v1/verifications/\(second)").status == .notFound)
            let unknown = try await client.call(.post, "/v1/verifications/01ZZZZZZZZZZZZZZZZZZZZZZZZ/check", json: #"{"code":"123456"}"#)
            #expect(unknown.status == .notFound && unknown.errorCode == "not_found")
            #expect(try await client.call(.get, "/v1/verifications/not-a-key").status == .notFound)
        }
    }

    @Test func sendsAreRateLimitedPerDestination() async throws {
        let server = try await TestServer()
        try await server.test { client in
            _ = try await client.sendCode()
            server.clock.advance(seconds: 20)
            let limited = try await client.call(.post, "/v1/verifications", json: #"{"channel":"sms","to":"+8613712345678","operation":"login"}"#)
            #expect(limited.status == .tooManyRequests && limited.errorCode == "rate_limited")
            #expect(limited.headers[.retryAfter] == "40")
            #expect(limited.error["retry_after_seconds"] as? Int == 40)
            _ = try await client.sendCode(to: "+8613712345679")
            for _ in 0..<4 {
                server.clock.advance(seconds: 60)
                _ = try await client.sendCode()
            }
            server.clock.advance(seconds: 60)
            let hourly = try await client.call(.post, "/v1/verifications", json: #"{"channel":"sms","to":"+8613712345678","operation":"login"}"#)
            #expect(hourly.status == .tooManyRequests)
            #expect(Int(hourly.headers[.retryAfter] ?? "") == 3600 - 20 - 5 * 60)
        }
    }

    /// API.md's limits and cancellation are per `to`: SMS and a voice call to one phone share
    /// the resend gap and the hourly count, and a call cancels the pending SMS code.
    @Test func smsAndCallsToOnePhoneShareItsLimitsAndCancelEachOther() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let sms = try await client.sendCode(to: "+8613712345678", operation: "login")
            server.clock.advance(seconds: 20)
            let call = #"{"channel":"call","to":"13712345678","operation":"login"}"#
            let tooSoon = try await client.call(.post, "/v1/verifications", json: call)
            #expect(tooSoon.status == .tooManyRequests && tooSoon.errorCode == "rate_limited" && tooSoon.headers[.retryAfter] == "40")
            server.clock.advance(seconds: 40)
            #expect(try await client.call(.post, "/v1/verifications", json: call).status == .created)
            #expect(try await client.call(.get, "/v1/verifications/\(sms)")["status"] as? String == "canceled")
            for channel in ["sms", "call", "sms"] {
                server.clock.advance(seconds: 60)
                _ = try await client.sendCode(to: "+8613712345678", operation: "login", channel: channel)
            }
            server.clock.advance(seconds: 60)
            let hourly = try await client.call(.post, "/v1/verifications", json: call)
            #expect(hourly.status == .tooManyRequests, "five sends to the phone this hour, by either channel")
        }
    }

    @Test func configuredLimitsComeFromTheServer() async throws {
        let server = try await TestServer(limits: .init(resendIntervalSeconds: 5, hourlyLimit: 1))
        try await server.test { client in
            _ = try await client.sendCode()
            server.clock.advance(seconds: 5)
            #expect(try await client.call(.post, "/v1/verifications", json: #"{"channel":"sms","to":"+8613712345678","operation":"a"}"#).status == .tooManyRequests)
        }
    }

    @Test(arguments: [
        (#"{"channel":"fax","to":"+8613712345678","operation":"x"}"#, "channel"),
        (#"{"channel":"sms","to":"12","operation":"x"}"#, "to"),
        (#"{"channel":"email","to":"nobody","operation":"x"}"#, "to"),
        (#"{"channel":"sms","to":"+8613712345678","operation":"Bad Op"}"#, "operation"),
        (#"{"channel":"sms","to":"+8613712345678","operation":"x","ttl_seconds":59}"#, "ttl_seconds"),
        (#"{"channel":"sms","to":"+8613712345678","operation":"x","ttl_seconds":"60"}"#, "ttl_seconds"),
        (#"{"channel":"sms","to":"+8613712345678"}"#, "operation"),
        (#"{"channel":5,"to":"+8613712345678","operation":"x"}"#, "channel"),
    ])
    func invalidInputIsA400NamingTheField(body: String, field: String) async throws {
        let server = try await TestServer()
        try await server.test { client in
            let reply = try await client.call(.post, "/v1/verifications", json: body)
            #expect(reply.status == .badRequest && reply.errorCode == "validation_failed")
            #expect(reply.error["field"] as? String == field)
            #expect(reply.error["message"] is String)
        }
    }

    @Test func emailAndCallChannelsWork() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let email = try await client.call(.post, "/v1/verifications", json: #"{"channel":"email","to":"Ann@Example.com","operation":"bind_email"}"#)
            #expect(email.status == .created && email["to"] as? String == "A***@example.com")
            _ = try await client.sendCode(to: "+14155550123", channel: "call")
            await server.worker.deliverDue()
            #expect(server.outbox.messages(to: "Ann@example.com").first?.message.channel == .email)
            #expect(server.outbox.messages(to: "+14155550123").first?.message.channel == .call)
        }
    }

    @Test func noPlaintextCodeOrAddressReachesTheLog() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let key = try await client.sendCode(to: "13712345678")
            let code = try #require(await server.deliveredCode())
            _ = try await client.call(.post, "/v1/verifications/\(key)/check", json: #"{"code":"\#(code)"}"#)
            let events = try await server.log.read(from: 1, limit: .max)
            #expect(events.count >= 4)
            for event in events {
                let everything = event.payload + Array(event.stream.rawValue.utf8) + Array(event.type.utf8)
                    + Array((event.metadata.correlationID ?? "").utf8) + Array((event.metadata.actor ?? "").utf8)
                #expect(!everything.contains(sequence: Array(code.utf8)), "code in \(event.type)")
                #expect(!everything.contains(sequence: Array("13712345678".utf8)), "phone in \(event.type)")
            }
            let snapshot = server.codes.read { model, _ in model.snapshot() }
            #expect(!snapshot.contains(sequence: Array(code.utf8)))
            #expect(!snapshot.contains(sequence: Array("13712345678".utf8)))
        }
    }
}

extension Array where Element == UInt8 {
    func contains(sequence: [UInt8]) -> Bool {
        guard !sequence.isEmpty, sequence.count <= count else { return false }
        return (0...(count - sequence.count)).contains { self[$0..<$0 + sequence.count].elementsEqual(sequence) }
    }
}
