import EventSourcing
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct CaptchaAPITests {
    @Test func drawThenCheckOnce() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let drawn = try await client.call(.post, "/v1/captchas")
            #expect(drawn.status == .created)
            let id = try #require(drawn["id"] as? String)
            let image = try #require(drawn["image"] as? String)
            #expect(image.hasPrefix("data:image/png;base64,"))
            let png = try #require(Data(base64Encoded: String(image.dropFirst("data:image/png;base64,".count))))
            #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            let answer = try #require(try await client.call(.get, "/v1/dev/captchas/\(id)")["answer"] as? String)
            let approved = try await client.call(.post, "/v1/captchas/\(id)/check", json: #"{"answer":"\#(answer.lowercased())"}"#)
            #expect(approved.status == .ok && approved["status"] as? String == "approved")
            let again = try await client.call(.post, "/v1/captchas/\(id)/check", json: #"{"answer":"\#(answer)"}"#)
            #expect(again.status == .notFound)
            for event in try await server.log.read(from: 1, limit: 100) {
                #expect(!event.payload.contains(sequence: Array(answer.utf8)))
            }
        }
    }

    @Test func aWrongAnswerUsesTheCaptchaAndLateOnesExpire() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let first = try #require(try await client.call(.post, "/v1/captchas")["id"] as? String)
            let wrong = try await client.call(.post, "/v1/captchas/\(first)/check", json: #"{"answer":"nope"}"#)
            #expect(wrong.status == .unprocessableContent && wrong.errorCode == "answer_incorrect")
            #expect(try await client.call(.post, "/v1/captchas/\(first)/check", json: #"{"answer":"nope"}"#).status == .notFound)
            let second = try #require(try await client.call(.post, "/v1/captchas")["id"] as? String)
            server.clock.advance(seconds: 120)
            let late = try await client.call(.post, "/v1/captchas/\(second)/check", json: #"{"answer":"ABCD"}"#)
            #expect(late.status == .gone && late.errorCode == "expired")
            #expect(try await client.call(.post, "/v1/captchas/unknown/check", json: #"{"answer":"ABCD"}"#).status == .notFound)
        }
    }
}
