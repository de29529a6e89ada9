import EventSourcing
import Foundation
import HTTPAPI
import Hummingbird
import Members
import HummingbirdTesting
import Testing
import Verification

/// Verify parity over HTTP: the message's locale (the `locale` field, else
/// `Accept-Language`, else zh-CN), and the delivery status a code's GET shows.
@Suite struct VerifyParityAPITests {
    /// Sends a code to a new phone with `json` extra fields and `headers`; the reply and the
    /// body of the message delivered.
    static func send(
        _ server: TestServer, _ client: any TestClientProtocol, phone: String, extra: String = "", headers: HTTPFields = [:]
    ) async throws -> (Reply, String?) {
        let reply = try await client.call(
            .post, "/v1/verifications", json: #"{"channel":"sms","to":"\#(phone)","operation":"login"\#(extra)}"#, headers: headers)
        await server.worker.deliverDue()
        return (reply, server.outbox.messages(to: "+86" + phone).first?.message.body)
    }

    @Test func theLocaleFieldThenAcceptLanguageThenZhCNChooseTheMessage() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let (plain, chinese) = try await Self.send(server, client, phone: "13712345601")
            #expect(plain.status == .created)
            #expect(chinese?.hasPrefix("【Logbook】验证码") == true && chinese?.contains("您正在登录") == true, "\(chinese ?? "-")")

            let (_, english) = try await Self.send(server, client, phone: "13712345602", extra: #","locale":"en""#)
            #expect(english?.hasPrefix("Logbook: your sign-in code is ") == true, "\(english ?? "-")")

            let (_, negotiated) = try await Self.send(
                server, client, phone: "13712345603", headers: [.acceptLanguage: "fr-FR, fr;q=0.9, en-US;q=0.8, zh-CN;q=0.5"])
            #expect(negotiated?.hasPrefix("Logbook: ") == true, "\(negotiated ?? "-")")

            let (_, fieldWins) = try await Self.send(
                server, client, phone: "13712345604", extra: #","locale":"zh-CN""#, headers: [.acceptLanguage: "en"])
            #expect(fieldWins?.contains("验证码") == true, "\(fieldWins ?? "-")")

            let (_, unmatched) = try await Self.send(server, client, phone: "13712345605", headers: [.acceptLanguage: "de, fr;q=0.5"])
            #expect(unmatched?.contains("验证码") == true, "no shipped language asked for: the default")

            for bad in [#""fr""#, #""""#, #""en_US""#] {
                let refused = try await client.call(
                    .post, "/v1/verifications", json: #"{"channel":"sms","to":"13712345606","operation":"login","locale":\#(bad)}"#)
                #expect(refused.status == .badRequest && refused.errorCode == "validation_failed", "\(bad)")
                #expect(refused.error["field"] as? String == "locale")
            }
            let wrongType = try await client.call(
                .post, "/v1/verifications", json: #"{"channel":"sms","to":"13712345606","operation":"login","locale":7}"#)
            #expect(wrongType.status == .badRequest)
            #expect(server.outbox.messages(to: "+8613712345606").isEmpty, "a refused send sends nothing")
        }
    }

    /// The codes the server sends for members (an email binding, a password reset) choose
    /// their locale the same way as a plain send.
    @Test func emailBindingAndPasswordResetMessagesFollowTheLocale() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let bound = try await client.call(
                .post, "/v1/members/me/email", json: #"{"email":"alice@example.com","locale":"en-GB"}"#, headers: bearer(alice.token))
            #expect(bound.status == .accepted)
            await server.worker.deliverDue()
            let binding = try #require(server.outbox.messages(to: "alice@example.com").first?.message)
            #expect(binding.body.hasPrefix("Logbook: your code to add this email address is \(binding.code)"), "\(binding.body)")

            _ = try await server.members.adminSetEmail(alice.id, email: "alice@example.com")
            var headers = HTTPFields()
            headers[.acceptLanguage] = "en-US,en;q=0.9"
            let reset = try await client.call(.post, "/v1/password-resets", json: #"{"username":"alice"}"#, headers: headers)
            #expect(reset.status == .accepted)
            await server.worker.deliverDue()
            let english = try #require(server.outbox.messages(to: "alice@example.com").first { $0.message.operation == "reset_password" }?.message)
            #expect(english.body.hasPrefix("Logbook: your password reset code is \(english.code)"), "\(english.body)")

            let refused = try await client.call(.post, "/v1/password-resets", json: #"{"username":"alice","locale":"fr"}"#)
            #expect(refused.status == .badRequest && refused.error["field"] as? String == "locale")
            let refusedBinding = try await client.call(
                .post, "/v1/members/me/email", json: #"{"email":"alice@example.com","locale":"xx-"}"#, headers: bearer(alice.token))
            #expect(refusedBinding.status == .badRequest && refusedBinding.error["field"] as? String == "locale")

            server.clock.advance(seconds: 61)
            let chinese = try await client.call(.post, "/v1/password-resets", json: #"{"username":"alice"}"#)
            #expect(chinese.status == .accepted)
            await server.worker.deliverDue()
            let resets = server.outbox.messages(to: "alice@example.com").filter { $0.message.operation == "reset_password" }
            #expect(resets.count == 2)
            #expect(resets.first?.message.body.contains("您正在重置密码") == true, "newest first, no locale asked: zh-CN")
        }
    }

    @Test func aCodesStatusShowsItsDelivery() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let key = try await client.sendCode()
            let queued = try await client.call(.get, "/v1/verifications/\(key)")
            #expect(queued["delivery_status"] as? String == "queued" && queued["status"] as? String == "pending")
            _ = try #require(await server.deliveredCode())
            let sent = try await client.call(.get, "/v1/verifications/\(key)")
            #expect(sent["delivery_status"] as? String == "sent")
            #expect(sent["code"] == nil && sent["body"] == nil, "never the code or its message")
        }
    }

    @Test func theOpenAPIDocumentDescribesTheAdditions() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let document = try await client.inlinedOpenAPIDocument()
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let send = try #require(paths["/v1/verifications"]?["post"] as? [String: Any])
            let sendSchema = try #require(
                ((send["requestBody"] as? [String: Any])?["content"] as? [String: Any]).flatMap {
                    ($0["application/json"] as? [String: Any])?["schema"] as? [String: Any]
                })
            let locale = try #require((sendSchema["properties"] as? [String: Any])?["locale"] as? [String: Any])
            #expect((locale["description"] as? String)?.contains("Accept-Language") == true)
            #expect(!((sendSchema["required"] as? [String]) ?? []).contains("locale"))
            let status = try #require(paths["/v1/verifications/{key}"]?["get"] as? [String: Any])
            let ok = try #require((status["responses"] as? [String: Any])?["200"] as? [String: Any])
            let statusSchema = try #require(
                ((ok["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any])
            let delivery = try #require((statusSchema["properties"] as? [String: Any])?["delivery_status"] as? [String: Any])
            #expect(delivery["enum"] as? [String] == ["queued", "sent", "failed"])
        }
    }
}
