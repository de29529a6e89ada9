import EventSourcing
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Members
import Synchronization
import Testing

/// A password reset must not tell whether an account exists: every probe gets the same
/// whole response (status, body, `Retry-After`) for a real account and for none.
@Suite struct ResetParityAPITests {
    /// A response as a prober sees it, with the reset's own id blanked out.
    struct Seen: Equatable, CustomStringConvertible {
        var status: Int
        var body: String
        var retryAfter: String?
        var description: String { "\(status) \(body) retry-after: \(retryAfter ?? "-")" }
    }

    func probe(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ json: String, hiding id: String? = nil)
        async throws -> Seen
    {
        try await client.execute(
            uri: uri, method: method, headers: [.contentType: "application/json"], body: ByteBuffer(string: json)
        ) { response in
            var body = String(decoding: response.body.readableBytesView, as: UTF8.self)
            // Every request has its own id; that is not a difference between accounts.
            body = body.replacing(/,?"request_id":"[^"]*"/, with: "")
            if let id { body = body.replacingOccurrences(of: id, with: "<id>") }
            if let key = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["verification_key"] as? String {
                body = body.replacingOccurrences(of: key, with: "<id>")
            }
            return Seen(status: response.status.code, body: body, retryAfter: response.headers[.retryAfter])
        }
    }

    /// Every probe of a reset for `identifier` = `value`, on a fresh server that has one
    /// account (alice: that phone, that email), at the same clock as any other run.
    func probes(_ identifier: String, _ value: String, destination: String) async throws -> [Seen] {
        let server = try await TestServer()
        let box = Mutex<[Seen]>([])
        try await server.test { client in
            var seen: [Seen] = []
            defer { box.withLock { $0 = seen } }
            let phoneKey = try await server.approvedKey(client, to: "+8613712345678", operation: "register")
            let alice = try await client.registerMember("alice", extra: #","phone":"+8613712345678","phone_verification_key":"\#(phoneKey)""#)
            _ = try await server.members.adminSetEmail(alice.id, email: "alice@example.com")
            server.clock.advance(seconds: 3600)
            let start = #"{"\#(identifier)":"\#(value)"}"#
            let started = try await probe(client, .post, "/v1/password-resets", start)
            seen.append(started)
            let reset = try #require(try await lastResetID(server))
            // Format, then five wrong codes, then the sixth: attempts count down alike.
            seen.append(try await probe(client, .post, "/v1/password-resets/confirm",
                #"{"verification_key":"\#(reset)","code":"0","new_password":"a-new-password-9"}"#, hiding: reset))
            let delivered = await server.deliveredCode(to: destination)
            let wrong = delivered == "000000" ? "111111" : "000000"
            for _ in 0..<6 {
                seen.append(try await probe(client, .post, "/v1/password-resets/confirm",
                    #"{"verification_key":"\#(reset)","code":"\#(wrong)","new_password":"a-new-password-9"}"#, hiding: reset))
            }
            // A newer reset cancels the older one, whose own send may have been rate limited.
            server.clock.advance(seconds: 30)
            seen.append(try await probe(client, .post, "/v1/password-resets", start))
            let older = try #require(try await lastResetID(server))
            server.clock.advance(seconds: 120)
            seen.append(try await probe(client, .post, "/v1/password-resets", start))
            seen.append(try await probe(client, .post, "/v1/password-resets/confirm",
                #"{"verification_key":"\#(older)","code":"\#(wrong)","new_password":"a-new-password-9"}"#, hiding: older))
            // A code sent to the address right after is not held back by the reset.
            let to = identifier == "username" ? "alice@example.com" : value
            var sent = try await probe(client, .post, "/v1/verifications",
                #"{"channel":"\#(identifier == "phone" ? "sms" : "email")","to":"\#(to)","operation":"login"}"#)
            sent.body = ""
            seen.append(sent)
            // Expired.
            server.clock.advance(seconds: 400)
            seen.append(try await probe(client, .post, "/v1/password-resets/confirm",
                #"{"verification_key":"\#(older)","code":"\#(wrong)","new_password":"a-new-password-9"}"#, hiding: older))
        }
        return box.withLock { $0 }
    }

    /// The id of the newest reset in the log.
    func lastResetID(_ server: TestServer) async throws -> String? {
        try await server.allEvents().last { $0.stream.isIn(.passwordReset) && $0.type == ResetRequested.type }.map { String($0.stream.id) }
    }

    func compare(_ identifier: String, real: String, decoy: String, destination: String) async throws {
        let seenReal = try await probes(identifier, real, destination: destination)
        let seenDecoy = try await probes(identifier, decoy, destination: destination)
        #expect(seenReal.count == 13 && seenDecoy.count == 13)
        for (real, decoy) in zip(seenReal, seenDecoy) { #expect(real == decoy, "real: \(real)\ndecoy: \(decoy)") }
        #expect(seenReal[1].status == 400 && seenReal[2].status == 422 && seenReal[7].status == 429)
        #expect(seenReal[10].status == 410 && seenReal[10].body.contains("canceled"))
        #expect(seenReal[11].status == 201)
        #expect(seenReal[12].status == 410 && seenReal[12].body.contains("canceled"))
    }

    @Test func byUsername() async throws {
        try await compare("username", real: "alice", decoy: "nobody", destination: "alice@example.com")
    }

    @Test func byEmail() async throws {
        try await compare("email", real: "alice@example.com", decoy: "nobody@example.com", destination: "alice@example.com")
    }

    @Test func byPhone() async throws {
        try await compare("phone", real: "+8613712345678", decoy: "+8613799999999", destination: "+8613712345678")
    }

    @Test func aRealResetStillWorksWithItsCode() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            _ = try await server.members.adminSetEmail(alice.id, email: "alice@example.com")
            let started = try await client.call(.post, "/v1/password-resets", json: #"{"email":"alice@example.com"}"#)
            let reset = try #require(started["verification_key"] as? String)
            let code = try #require(await server.deliveredCode(to: "alice@example.com"))
            let wrong = code == "000000" ? "111111" : "000000"
            let miss = try await client.call(.post, "/v1/password-resets/confirm",
                json: #"{"verification_key":"\#(reset)","code":"\#(wrong)","new_password":"a-new-password-9"}"#)
            #expect(miss.errorCode == "code_incorrect" && miss.error["attempts_left"] as? Int == 4)
            let done = try await client.call(.post, "/v1/password-resets/confirm",
                json: #"{"verification_key":"\#(reset)","code":"\#(code)","new_password":"a-new-password-9"}"#)
            #expect(done.status == .noContent)
            #expect(try await client.login("alice", "a-new-password-9").status == .created)
            // Used: a second confirmation with the same code finds nothing.
            let again = try await client.call(.post, "/v1/password-resets/confirm",
                json: #"{"verification_key":"\#(reset)","code":"\#(code)","new_password":"another-password-9"}"#)
            #expect(again.status == .notFound)
        }
    }
}
