import EventSourcing
import Foundation
import HTTPAPI
import HTTPTypes
import HummingbirdTesting
import Members
import Testing
import Verification

@Suite struct SessionsAPITests {
    @Test func loginFailuresAreUniformWhateverFailed() async throws {
        let server = try await TestServer()
        try await server.test { client in
            _ = try await client.registerMember("alice")
            let ok = try await client.login("ALICE")
            #expect(ok.status == .created && (ok["token"] as? String)?.hasPrefix("lbk_") == true)
            #expect(ok["member_id"] as? String != nil && ok["expires_at"] as? String != nil)
            let wrongPassword = try await client.login("alice", "not-the-password")
            let unknownUser = try await client.login("nobody", "not-the-password")
            #expect(wrongPassword.status == .unauthorized && unknownUser.status == .unauthorized)
            #expect(wrongPassword.errorCode == "invalid_credentials")
            #expect(NSDictionaryEqual(wrongPassword.json, unknownUser.json))
            let phoneUnknown = try await client.call(.post, "/v1/sessions", json: #"{"phone":"+8613700000000","verification_key":"01M8UNKNOWNUNKNOWNUNKNOWN0"}"#)
            #expect(phoneUnknown.status == .unauthorized && NSDictionaryEqual(phoneUnknown.json, unknownUser.json))
            let neither = try await client.call(.post, "/v1/sessions", json: #"{"password":"x"}"#)
            #expect(neither.status == .badRequest)
        }
    }

    @Test func fiveFailuresLockTheAccountForFifteenMinutesByEventTime() async throws {
        let server = try await TestServer()
        try await server.test { client in
            _ = try await client.registerMember("alice")
            _ = try await client.registerMember("bob")
            for _ in 0..<5 {
                #expect(try await client.login("alice", "wrong-password-1").status == .unauthorized)
                server.clock.advance(seconds: 60)
            }
            let locked = try await client.login("alice")
            #expect(locked.status == .tooManyRequests && locked.errorCode == "too_many_attempts")
            // Locked until the first failure + 15 min: 10 minutes from now.
            #expect(locked.headers[.retryAfter] == "600" && locked.error["retry_after_seconds"] as? Int == 600)
            #expect(try await client.login("bob").status == .created)
            server.clock.advance(seconds: 601)
            #expect(try await client.login("alice").status == .created)
            // Failures spread over more than 15 minutes never lock.
            for _ in 0..<6 {
                #expect(try await client.login("bob", "wrong-password-1").status == .unauthorized)
                server.clock.advance(seconds: 230)
            }
            #expect(try await client.login("bob").status == .created)
        }
    }

    @Test func sessionsListLogoutAndExpiry() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            server.clock.advance(seconds: 10)
            let second = try #require(try await client.login("alice")["token"] as? String)
            let list = try await client.call(.get, "/v1/sessions", headers: bearer(second))
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(items.map { $0["current"] as? Bool } == [false, true])
            #expect(items.map { $0["method"] as? String } == ["registration", "password"])
            #expect(items.allSatisfy { $0["token"] == nil })
            #expect(try await client.call(.delete, "/v1/sessions/current", headers: bearer(second)).status == .noContent)
            #expect(try await client.me(second).status == .unauthorized)
            #expect(try await client.me(alice.token).status == .ok)
            server.clock.advance(seconds: 30 * 86_400)
            #expect(try await client.me(alice.token).status == .unauthorized)
        }
    }

    @Test func aMemberKeepsAtMostAHundredSessionsEndingTheOldest() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            var last = ""
            for _ in 0..<MemberState.maxSessions {
                server.clock.advance(seconds: 1)
                last = try #require(try await client.login("alice")["token"] as? String)
            }
            #expect(try await client.me(alice.token).status == .unauthorized)
            let sessions = try await client.call(.get, "/v1/sessions", headers: bearer(last))
            #expect((sessions["items"] as? [[String: Any]])?.count == MemberState.maxSessions)
            let ended = try await server.allEvents().compactMap { try MemberEvent($0) }.filter {
                if case .sessionsEnded(let e) = $0 { return e.reason == "session_limit" }
                return false
            }
            #expect(ended.count == 1)
        }
    }

    @Test func changingThePasswordRevokesEverySessionAndPublishesTheRevocation() async throws {
        let server = try await TestServer()
        let revocations = try #require(server.members.revocations).subscribe()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let other = try #require(try await client.login("alice")["token"] as? String)
            let wrong = try await client.call(
                .put, "/v1/members/me/password", json: #"{"current_password":"nope-nope-1","new_password":"brand-new-pass-2"}"#,
                headers: bearer(alice.token))
            #expect(wrong.status == .unauthorized && wrong.errorCode == "invalid_credentials")
            let weak = try await client.call(
                .put, "/v1/members/me/password", json: #"{"current_password":"correct-horse-7","new_password":"alice"}"#,
                headers: bearer(alice.token))
            #expect(weak.errorCode == "weak_password")
            let changed = try await client.call(
                .put, "/v1/members/me/password", json: #"{"current_password":"correct-horse-7","new_password":"brand-new-pass-2"}"#,
                headers: bearer(alice.token))
            #expect(changed.status == .ok)
            let token = try #require(changed["token"] as? String)
            #expect(try await client.me(token).status == .ok)
            #expect(try await client.me(other).status == .unauthorized)
            #expect(try await client.me(alice.token).status == .unauthorized)
            #expect(try await client.login("alice").status == .unauthorized)
            #expect(try await client.login("alice", "brand-new-pass-2").status == .created)
        }
        var iterator = revocations.makeAsyncIterator()
        let revocation = try #require(await iterator.next())
        #expect(revocation.reason == "password_changed" && revocation.sessionIDs.count == 2)
    }

    @Test func phoneLoginUsesAnApprovedLoginKeyOnceAndAsksWhichMember() async throws {
        let server = try await TestServer(limits: .init(resendIntervalSeconds: 0, hourlyLimit: 100))
        try await server.test { client in
            let phone = "+8613712345678"
            var ids: [String] = []
            for name in ["ann", "ben"] {
                let key = try await server.approvedKey(client, to: phone, operation: "register")
                ids.append(try await client.registerMember(name, extra: #","phone":"\#(phone)","phone_verification_key":"\#(key)""#).id)
            }
            let key = try await server.approvedKey(client, to: phone, operation: "login")
            let choose = try await client.call(.post, "/v1/sessions", json: #"{"phone":"\#(phone)","verification_key":"\#(key)"}"#)
            #expect(choose.status == .conflict && choose.errorCode == "member_choice_required")
            let choices = try #require(choose.error["members"] as? [[String: Any]])
            #expect(Set(choices.compactMap { $0["id"] as? String }) == Set(ids))
            #expect(Set(choices.compactMap { $0["display_name"] as? String }) == ["ann", "ben"])
            let notMine = try await client.call(.post, "/v1/sessions", json: #"{"phone":"\#(phone)","verification_key":"\#(key)","member_id":"01M8UNKNOWNUNKNOWNUNKNOWN0"}"#)
            #expect(notMine.status == .unauthorized)
            let chosen = try await client.call(.post, "/v1/sessions", json: #"{"phone":"\#(phone)","verification_key":"\#(key)","member_id":"\#(ids[1])"}"#)
            #expect(chosen.status == .created && chosen["member_id"] as? String == ids[1])
            let again = try await client.call(.post, "/v1/sessions", json: #"{"phone":"\#(phone)","verification_key":"\#(key)","member_id":"\#(ids[1])"}"#)
            #expect(again.status == .unauthorized)
            let registerKey = try await server.approvedKey(client, to: phone, operation: "register")
            let wrongOperation = try await client.call(.post, "/v1/sessions", json: #"{"phone":"\#(phone)","verification_key":"\#(registerKey)","member_id":"\#(ids[0])"}"#)
            #expect(wrongOperation.status == .unauthorized)
        }
    }
}

/// Equality of two decoded JSON objects.
func NSDictionaryEqual(_ a: [String: Any], _ b: [String: Any]) -> Bool {
    (a as NSDictionary).isEqual(to: b)
}
