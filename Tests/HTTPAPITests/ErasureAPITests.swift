import EventSourcing
import HashTreeCollections
import HTTPAPI
import HTTPTypes
import HummingbirdTesting
import Members
import Synchronization
import Testing
import Verification

@Suite struct ErasureAPITests {
    @Test func deletionShredsPersonalDataButKeepsTheLogWhole() async throws {
        let log = InMemoryEventLog()
        let keys = InMemoryMemberKeyStore()
        let server = try await TestServer(log: log, memberKeys: keys)
        let aliceIDBox = Mutex("")
        try await server.test { client in
            let phoneKey = try await server.approvedKey(client, to: "+8613712345678", operation: "register")
            let alice = try await client.registerMember(
                "alice", displayName: "Zelda Quux", extra: #","phone":"+8613712345678","phone_verification_key":"\#(phoneKey)""#)
            aliceIDBox.withLock { $0 = alice.id }
            _ = try await client.call(.post, "/v1/members/me/addresses", json: #"{"full_name":"Zelda Quux","zip_code":"1","address":"Hidden Lane 7","phone":"1","type":"none"}"#, headers: bearer(alice.token))
            let wrong = try await client.call(.delete, "/v1/members/me", json: #"{"password":"wrong-password-1"}"#, headers: bearer(alice.token))
            #expect(wrong.status == .unauthorized && wrong.errorCode == "invalid_credentials")
            let sizeBefore = try await log.head().size
            #expect(try await client.call(.delete, "/v1/members/me", json: #"{"password":"correct-horse-7"}"#, headers: bearer(alice.token)).status == .noContent)
            #expect(try await log.head().size > sizeBefore)
            #expect(try await client.me(alice.token).status == .unauthorized)
            #expect(try await client.call(.get, "/v1/members/\(alice.id)").status == .notFound)
            #expect(try await client.login("alice").status == .unauthorized)
            #expect(try await client.call(.get, "/v1/members/display-names/Zelda%20Quux")["available"] as? Bool == true)
            #expect((try await client.call(.get, "/v1/members?q=zelda")["total_rows"]) as? Int == 0)
            // The username stays reserved.
            #expect(try await client.call(.post, "/v1/members", json: #"{"username":"alice","password":"correct-horse-7","display_name":"New"}"#).errorCode == "username_taken")
        }
        let aliceID = aliceIDBox.withLock { $0 }
        #expect(keys.key(for: aliceID) == nil)
        // No event holds the personal data in the clear, and no key left opens the sealed copies.
        let events = try await log.read(from: 1, limit: 10_000)
        for event in events {
            for text in ["Zelda", "Hidden Lane", "13712345678"] { #expect(!event.payload.contains(text: text)) }
        }
        let sealed = events.compactMap { try? MemberEvent($0) }.compactMap { event -> SealedPart? in
            if case .registered(let r) = event { return r.profile }
            if case .addressSaved(let a) = event { return a.sealed }
            return nil
        }
        #expect(sealed.count == 2)
        // A full rebuild from the log (a new server on the same log and keys) agrees.
        let rebuilt = try await TestServer(log: log, memberKeys: keys)
        #expect(rebuilt.memberModel.digest == server.memberModel.digest)
        #expect(rebuilt.memberModel.read { model, _ in model.members[aliceID]?.status } == .deleted)
        #expect(rebuilt.members.publicProfile(aliceID) == nil && rebuilt.members.me(aliceID) == nil)
        #expect(try await log.head().size == UInt64(events.count))
    }

    @Test func noPlaintextSecretInAnyEventOrStoredResponse() async throws {
        let server = try await TestServer()
        let tokenBox = Mutex<[String]>([])
        try await server.test { client in
            let register = try await client.call(
                .post, "/v1/members", json: #"{"username":"alice","password":"Sup3r-Secret-Pass","display_name":"A"}"#,
                headers: [HTTPField.Name("Idempotency-Key")!: "reg-1"])
            let token = try #require(register["token"] as? String)
            tokenBox.withLock { $0.append(token) }
            let replay = try await client.call(
                .post, "/v1/members", json: #"{"username":"alice","password":"Sup3r-Secret-Pass","display_name":"A"}"#,
                headers: [HTTPField.Name("Idempotency-Key")!: "reg-1"])
            #expect(replay.status == .created && replay["token"] as? String == token)
            let login = try await client.call(.post, "/v1/sessions", json: #"{"username":"alice","password":"Sup3r-Secret-Pass"}"#, headers: [HTTPField.Name("Idempotency-Key")!: "login-1"])
            let loginToken = try #require(login["token"] as? String)
            tokenBox.withLock { $0.append(loginToken) }
            let stored = try #require(try await server.log.storedResult(forIdempotencyKey: "POST /v1/sessions|login-1"))
            #expect(!stored.contains(text: loginToken))
        }
        let tokens = tokenBox.withLock { $0 }
        #expect(tokens.count == 2)
        for event in try await server.allEvents() {
            #expect(!event.payload.contains(text: "Sup3r-Secret-Pass"))
            for token in tokens { #expect(!event.payload.contains(text: token) && !event.payload.contains(text: String(token.dropFirst(4)))) }
        }
    }

    @Test func idempotencyKeysAreScopedToTheMember() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            var headers = bearer(alice.token)
            headers[HTTPField.Name("Idempotency-Key")!] = "same"
            let a = try await client.call(.patch, "/v1/members/me", json: #"{"gender":"female"}"#, headers: headers)
            headers = bearer(bob.token)
            headers[HTTPField.Name("Idempotency-Key")!] = "same"
            let b = try await client.call(.patch, "/v1/members/me", json: #"{"gender":"female"}"#, headers: headers)
            #expect(a["id"] as? String == alice.id && b["id"] as? String == bob.id)
        }
    }
}
