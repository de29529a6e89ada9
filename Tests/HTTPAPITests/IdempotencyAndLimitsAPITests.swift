import Crypto
import EventSourcing
import Foundation
import HTTPAPI
import ServerKit
import HTTPTypes
import HummingbirdTesting
import Members
import Synchronization
import Testing

/// Stored answers under the right keys, replays before authentication, and the limits
/// per client address.
@Suite struct IdempotencyAndLimitsAPITests {
    @Test func aPasswordChangeRetriedAfterALostResponseGetsItsNewTokenNot401() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            var headers = bearer(alice.token)
            headers[HTTPField.Name("Idempotency-Key")!] = "change-1"
            let body = #"{"current_password":"correct-horse-7","new_password":"another-horse-8"}"#
            let first = try await client.call(.put, "/v1/members/me/password", json: body, headers: headers)
            #expect(first.status == .ok)
            // The old token is revoked by the change itself; the retry still gets the answer.
            #expect(try await client.me(alice.token).status == .unauthorized)
            let retry = try await client.call(.put, "/v1/members/me/password", json: body, headers: headers)
            #expect(retry.status == .ok && retry["token"] as? String == first["token"] as? String)
            // Without the key, the revoked token is 401 as usual.
            #expect(try await client.call(.put, "/v1/members/me/password", json: body, headers: bearer(alice.token)).status == .unauthorized)
            // Another session's key space is its own.
            let other = try #require(first["token"] as? String)
            var otherHeaders = bearer(other)
            otherHeaders[HTTPField.Name("Idempotency-Key")!] = "change-1"
            let fresh = try await client.call(.put, "/v1/members/me/password", json: body, headers: otherHeaders)
            #expect(fresh.status == .unauthorized, "the current password is another-horse-8 now")
        }
    }

    @Test func answersHoldingPersonalDataAreSealedUnderTheMembersKeyAndDieWithIt() async throws {
        let server = try await TestServer()
        try await server.test { client in
            var headers: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "reg-1"]
            let body = #"{"username":"zelda","password":"correct-horse-7","display_name":"Zelda Quux"}"#
            let registered = try await client.call(.post, "/v1/members", json: body, headers: headers)
            #expect(registered.status == .created)
            let token = try #require(registered["token"] as? String)
            headers = bearer(token)
            headers[HTTPField.Name("Idempotency-Key")!] = "addr-1"
            let address = #"{"full_name":"Zelda Q","zip_code":"12345","address":"7 Hidden Lane","phone":"+1 555"}"#
            #expect(try await client.call(.post, "/v1/members/me/addresses", json: address, headers: headers).status == .created)
            headers[HTTPField.Name("Idempotency-Key")!] = "patch-1"
            #expect(try await client.call(.patch, "/v1/members/me", json: #"{"gender":"female"}"#, headers: headers).status == .ok)
            // No stored answer holds the personal data in the clear.
            for key in ["POST /v1/members|reg-1"] {
                let stored = try #require(try await server.log.storedResult(forIdempotencyKey: key))
                for text in ["Zelda Quux", "zelda", "lbk_"] { #expect(!stored.contains(text: text), "\(text) in \(key)") }
            }
            // Replays work while the member lives...
            #expect(try await client.call(.post, "/v1/members", json: body, headers: [HTTPField.Name("Idempotency-Key")!: "reg-1"]).status == .created)
            #expect(try await client.call(.post, "/v1/members/me/addresses", json: address, headers: {
                var h = bearer(token); h[HTTPField.Name("Idempotency-Key")!] = "addr-1"; return h }()).status == .created)
            // ...and are gone with it.
            #expect(try await client.call(.delete, "/v1/members/me", json: #"{"password":"correct-horse-7"}"#, headers: bearer(token)).status == .noContent)
            let gone = try await client.call(.post, "/v1/members", json: body, headers: [HTTPField.Name("Idempotency-Key")!: "reg-1"])
            #expect(gone.status == .notFound)
            let addressGone = try await client.call(.post, "/v1/members/me/addresses", json: address, headers: {
                var h = bearer(token); h[HTTPField.Name("Idempotency-Key")!] = "addr-1"; return h }())
            #expect(addressGone.status == .notFound)
        }
    }

    /// A retry is the same request when its JSON is: keys in another order and other
    /// whitespace replay the first answer and append nothing; another value is 422.
    @Test func aRetryWithTheSameJSONReserializedIsTheSameRequest() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let headers: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "send-1"]
            let first = try await client.call(
                .post, "/v1/verifications", json: #"{"channel":"sms","to":"+8613712345678","operation":"login"}"#, headers: headers)
            #expect(first.status == .created)
            let size = try await server.log.head().size
            let reordered = try await client.call(
                .post, "/v1/verifications", json: "{ \"operation\": \"login\",\n  \"to\": \"+8613712345678\", \"channel\": \"sms\" }", headers: headers)
            #expect(reordered.status == .created && reordered["key"] as? String == first["key"] as? String)
            #expect(try await server.log.head().size == size, "the replay appended nothing")
            let other = try await client.call(
                .post, "/v1/verifications", json: #"{"channel":"sms","to":"+8613712345679","operation":"login"}"#, headers: headers)
            #expect(other.status == .unprocessableContent && other.errorCode == "idempotency_key_reused")
        }
    }

    /// The stored fingerprint of a request is keyed with the server's secret: a plain hash
    /// of a registration's body (which holds the password) could be guessed back offline.
    @Test func theStoredFingerprintOfABodyWithAPasswordIsNotAPlainHash() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let body = #"{"username":"yuki","password":"correct-horse-7","display_name":"Yuki"}"#
            let headers: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "reg-9"]
            #expect(try await client.call(.post, "/v1/members", json: body, headers: headers).status == .created)
            let stored = try #require(try await server.log.storedResult(forIdempotencyKey: "POST /v1/members|reg-9"))
            for hashed in [Array("POST /v1/members".utf8) + [0] + Array(body.utf8), Array("POST /v1/members".utf8) + [0] + Idempotency.canonical(Array(body.utf8))] {
                let plain = Array(SHA256.hash(data: hashed))
                #expect(!stored.contains(bytes: plain), "a plain SHA-256 of the request is stored")
            }
            #expect(try await client.call(.post, "/v1/members", json: body, headers: headers).status == .created, "and retries replay")
        }
    }

    @Test func loginsPerClientAddressAreLimitedWithRetryAfter() async throws {
        // An hour's budget: on a loaded machine the logins may take seconds, and a
        // minute's budget (a token every 20 s) could refill before the fourth.
        let limiter = ClientRateLimiter(limits: [.login: .init(count: 3, periodSeconds: 3600), .codeSend: .init(count: 2, periodSeconds: 3600)])
        let server = try await TestServer(clients: ClientGuard(limiter: limiter))
        try await server.test { client in
            _ = try await client.registerMember("alice")
            for _ in 0..<3 { #expect(try await client.login("alice").status == .created) }
            let limited = try await client.login("alice")
            #expect(limited.status == .tooManyRequests && limited.errorCode == "rate_limited")
            let wait = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...1200).contains(wait))
            #expect(limited.error["retry_after_seconds"] as? Int == wait)
            for index in 0..<2 { _ = try await client.sendCode(to: "+861371234567\(index)") }
            let pumped = try await client.call(.post, "/v1/verifications", json: #"{"channel":"sms","to":"+8613712345679","operation":"login"}"#)
            #expect(pumped.status == .tooManyRequests && pumped.errorCode == "rate_limited")
        }
    }

    @Test func aLimiterRefillsOverItsPeriodAndKeepsAddressesApart() throws {
        let limiter = ClientRateLimiter(limits: [.registration: .init(count: 2, periodSeconds: 1)])
        try limiter.admit(.registration, client: "a")
        try limiter.admit(.registration, client: "a")
        #expect(throws: APIError.self) { try limiter.admit(.registration, client: "a") }
        try limiter.admit(.registration, client: "b")
        try limiter.admit(.login, client: "a")  // not limited
        Thread.sleep(forTimeInterval: 0.6)
        try limiter.admit(.registration, client: "a")
        #expect(ClientRateLimiter.Limit("20/min") == .init(count: 20, periodSeconds: 60))
        #expect(ClientRateLimiter.Limit("0/min") == nil && ClientRateLimiter.Limit("5/week") == nil)
    }
}
