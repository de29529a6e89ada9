import EventSourcing
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServerKit
import Testing

@Suite struct RequestIDAndLogTests {
    @Test func aClientRequestIDComesBackInTheHeaderTheErrorBodyAndTheEventsCorrelationID() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let sent = try await client.call(
                .post, "/v1/verifications", json: #"{"channel":"sms","to":"+8613712345678","operation":"register"}"#,
                headers: [.xRequestID: "support-ticket-42"])
            #expect(sent.status == .created)
            #expect(sent.headers[.xRequestID] == "support-ticket-42")
            let refused = try await client.call(.post, "/v1/verifications", json: "{bad", headers: [.xRequestID: "bad-body-7"])
            #expect(refused.status == .badRequest)
            #expect(refused.headers[.xRequestID] == "bad-body-7")
            #expect(refused.requestID == "bad-body-7")
            let missing = try await client.call(.get, "/v1/nothing", headers: [.xRequestID: "lost-1"])
            #expect(missing.requestID == "lost-1")
        }
        let events = try await server.log.read(from: 1, limit: 100)
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0.metadata.correlationID == "support-ticket-42" })
    }

    @Test func withoutAUsableClientIDTheServerMakesOneAndStillReturnsIt() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let plain = try await client.call(.get, "/healthz")
            let generated = try #require(plain.headers[.xRequestID])
            #expect(!generated.isEmpty)
            let junk = String(repeating: "x", count: 129)
            for bad in [junk, "has space", "quote\"d", "ünï"] {
                let reply = try await client.call(.get, "/v1/nothing", headers: [.xRequestID: bad])
                let id = try #require(reply.headers[.xRequestID])
                #expect(id != bad)
                #expect(reply.requestID == id)
            }
            let other = try await client.call(.get, "/healthz")
            #expect(other.headers[.xRequestID] != generated, "ids differ per request")
        }
    }

    @Test func theRequestLogLineHasTheIDTheRouteTemplateTheStatusAndTheMember() async throws {
        let server = try await TestServer()
        let output = LogOutput.memory()
        let logger = Logger(label: "logbookd") { LogbookLogHandler(label: $0, format: .json, level: .info, output: output) }
        try await server.test(logger: logger) { client in
            let member = try await client.registerMember("lina")
            _ = try await client.call(.get, "/v1/members/me", headers: bearer(member.token).merging([.xRequestID: "me-1"]))
        }
        let lines = output.captured.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let line = try #require(lines.first { $0["request_id"] as? String == "me-1" })
        #expect(line["message"] as? String == "request")
        #expect(line["route"] as? String == "/v1/members/me")
        #expect(line["status"] as? String == "200")
        #expect(line["method"] as? String == "GET")
        #expect(line["level"] as? String == "info")
        #expect((line["member_id"] as? String)?.isEmpty == false)
        #expect(line["hb.request.id"] == nil)
        let time = try #require(line["time"] as? String)
        #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(time)")
        #expect(!output.captured.joined().contains("correct-horse-7"), "no password in any log line")
    }

    @Test func textLinesCarryMillisecondsAndTheLevelFiltersEntries() {
        let output = LogOutput.memory()
        var logger = Logger(label: "unit") { LogbookLogHandler(label: $0, format: .text, level: .warning, output: output) }
        logger[metadataKey: RequestIdentity.metadataKey] = "abc"
        logger.info("hidden")
        logger.warning("shown", metadata: ["route": "/v1/x"])
        #expect(output.captured.count == 1)
        let line = output.captured.first
        #expect(line?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warning unit: shown request_id=abc route=\/v1\/x/) != nil, "\(line ?? "")")
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged.append(field) }
        return merged
    }
}
