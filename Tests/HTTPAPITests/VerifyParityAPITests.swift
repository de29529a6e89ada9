import EventSourcing
import Foundation
import HTTPAPI
import Hummingbird
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
            let document = try await client.execute(uri: "/openapi.json", method: .get) { response in
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
            }
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
