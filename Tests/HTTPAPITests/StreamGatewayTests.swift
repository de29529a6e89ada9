import EventSourcing
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Members
import Messaging
import NIOWebSocket
import Synchronization
import Testing

/// `GET /v1/stream` on a listening server, with the hummingbird-websocket client.
@Suite(.serialized) struct StreamGatewayTests {
    @Test func everyDeviceOfARecipientAndTheSenderGetTheFrameWithACursor() async throws {
        let server = try await TestServer()
        try await server.live { client, port in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            let secondToken = try #require((try await client.login("alice"))["token"] as? String)
            let phone = StreamProbe.open(port: port, headers: bearer(alice.token))
            let laptop = StreamProbe.open(port: port, query: "token=\(secondToken)")
            let bobs = StreamProbe.open(port: port, headers: bearer(bob.token))
            defer { [phone, laptop, bobs].forEach { $0.stop() } }
            for probe in [phone, laptop, bobs] { #expect(await probe.waitOpen()) }

            let sent = try await client.sendText(bob.token, to: alice.id, "ping from bob")
            #expect(sent.status == .created)
            for probe in [phone, laptop, bobs] {
                #expect(await probe.wait { $0.texts == ["ping from bob"] })
                let frame = try #require(probe.frames(ofType: "message").first)
                #expect((frame["cursor"] as? String)?.isEmpty == false)
                #expect((frame["message"] as? [String: Any])?["id"] as? String == sent["id"] as? String)
                #expect((frame["message"] as? [String: Any])?["seq"] as? Int == 1)
            }

            // Group messages reach every online member.
            let group = try await client.createGroup(alice.token)
            _ = try await client.join(group, bob.token)
            _ = try await client.sendMessage(alice.token, #""to_group_id":"\#(group)""#, body: #"{"type":"text","content":"to the group"}"#)
            #expect(await bobs.wait { $0.texts == ["ping from bob", "to the group"] })
            #expect(await laptop.wait { $0.texts == ["ping from bob", "to the group"] })
        }
    }

    /// A group larger than the crowd online: the dispatcher walks the members online and
    /// looks each up in the group (not every member of the group), so an online
    /// non-member still gets nothing and an online member everything.
    @Test func aGroupMessageReachesItsOnlineMembersOnlyWhenFewAreOnline() async throws {
        let server = try await TestServer()
        try await server.live { client, port in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            let dave = try await client.registerMember("dave")
            let group = try await client.createGroup(alice.token)
            _ = try await client.join(group, bob.token)
            for name in ["carol", "erin", "frank"] {
                _ = try await client.join(group, try await client.registerMember(name).token)
            }
            let bobs = StreamProbe.open(port: port, headers: bearer(bob.token))
            let daves = StreamProbe.open(port: port, headers: bearer(dave.token))
            defer { [bobs, daves].forEach { $0.stop() } }
            for probe in [bobs, daves] { #expect(await probe.waitOpen()) }
            _ = try await client.sendMessage(alice.token, #""to_group_id":"\#(group)""#, body: #"{"type":"text","content":"to six"}"#)
            _ = try await client.sendText(alice.token, to: dave.id, "to dave")
            #expect(await bobs.wait { $0.texts == ["to six"] })
            #expect(await daves.wait { $0.texts == ["to dave"] }, "dave is online but not in the group")
        }
    }

    @Test func aBadTokenIsNotUpgraded() async throws {
        let server = try await TestServer()
        try await server.live { _, port in
            let probe = StreamProbe.open(port: port, query: "token=lbk_nope")
            #expect(await probe.wait { $0.isEnded })
            #expect(probe.decoded.isEmpty)
        }
    }

    @Test func aPasswordChangeKicksTheOtherSessionsSocketOut() async throws {
        let server = try await TestServer()
        try await server.live { client, port in
            let alice = try await client.registerMember("alice")
            let other = try #require((try await client.login("alice"))["token"] as? String)
            let probe = StreamProbe.open(port: port, headers: bearer(other))
            defer { probe.stop() }
            #expect(await probe.waitOpen())
            let changed = try await client.call(
                .put, "/v1/members/me/password", json: #"{"current_password":"correct-horse-7","new_password":"another-horse-8"}"#,
                headers: bearer(alice.token))
            #expect(changed.status == .ok)
            #expect(await probe.wait { $0.isEnded })
            let kickout = try #require(probe.frames(ofType: "kickout").first)
            #expect((kickout["reason"] as? String)?.isEmpty == false)
            #expect(probe.decoded.last?["type"] as? String == "kickout")
            #expect(try await MetricsAPITests.scrape(client).contains("logbook_stream_kickouts_total 1"))
            #expect(try await client.me(other).status == .unauthorized)
        }
    }

    @Test func aBroadcastReachesEverySocket() async throws {
        let server = try await TestServer()
        try await server.live { client, port in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            let probes = [StreamProbe.open(port: port, headers: bearer(alice.token)), StreamProbe.open(port: port, headers: bearer(bob.token))]
            defer { probes.forEach { $0.stop() } }
            for probe in probes { #expect(await probe.waitOpen()) }
            let admin: HTTPFields = [.authorization: "Bearer \(TestServer.adminToken)"]
            let sent = try await client.call(.post, "/v1/admin/broadcast", json: #"{"content":"maintenance at 02:00"}"#, headers: admin)
            #expect(sent.status == .accepted && sent["delivered_to"] as? Int == 2)
            for probe in probes {
                #expect(await probe.wait { $0.frames(ofType: "broadcast").first?["content"] as? String == "maintenance at 02:00" })
            }
            #expect(try await client.call(.post, "/v1/admin/broadcast", json: #"{"content":"x"}"#, headers: bearer(alice.token)).status == .unauthorized)
            #expect(try await client.call(.post, "/v1/admin/broadcast", json: #"{"content":""}"#, headers: admin).status == .badRequest)
        }
    }

    /// A broadcast is a command like the others: logged with the admin as its actor, and a
    /// retry with its Idempotency-Key answers the first answer and pushes nothing again.
    @Test func aRetriedBroadcastIsLoggedOnceAndPushedOnce() async throws {
        let server = try await TestServer()
        try await server.live { client, port in
            let alice = try await client.registerMember("alice")
            let probe = StreamProbe.open(port: port, headers: bearer(alice.token))
            defer { probe.stop() }
            #expect(await probe.waitOpen())
            var headers: HTTPFields = [.authorization: "Bearer \(TestServer.adminToken)"]
            headers[HTTPField.Name("Idempotency-Key")!] = "broadcast-1"
            let first = try await client.call(.post, "/v1/admin/broadcast", json: #"{"content":"maintenance"}"#, headers: headers)
            #expect(first.status == .accepted && first["delivered_to"] as? Int == 1)
            let id = try #require(first["broadcast_id"] as? String)
            let retry = try await client.call(.post, "/v1/admin/broadcast", json: #"{"content":"maintenance"}"#, headers: headers)
            #expect(retry.status == .accepted && retry["broadcast_id"] as? String == id && retry["delivered_to"] as? Int == 1)
            let reused = try await client.call(.post, "/v1/admin/broadcast", json: #"{"content":"other"}"#, headers: headers)
            #expect(reused.errorCode == "idempotency_key_reused")
            headers[HTTPField.Name("Idempotency-Key")!] = nil
            #expect(try await client.call(.post, "/v1/admin/broadcast", json: #"{"content":"second"}"#, headers: headers).status == .accepted)
            // Frames reach a socket in order: once "second" is there, a second push of the retry would be too.
            #expect(await probe.wait { $0.frames(ofType: "broadcast").count >= 2 })
            #expect(probe.frames(ofType: "broadcast").compactMap { $0["content"] as? String } == ["maintenance", "second"])
            let logged = try await server.allEvents().filter { $0.type == BroadcastSent.type }
            #expect(logged.count == 2 && logged.allSatisfy { $0.metadata.actor == "admin" })
        }
    }

    @Test func aSlowConsumerIsClosedWithAReasonAndResumesByCursor() async throws {
        let server = try await TestServer(streamQueue: 2)
        try await server.live { client, port in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            let group = try await client.createGroup(alice.token)
            _ = try await client.join(group, bob.token)
            let probe = StreamProbe.open(port: port, headers: bearer(bob.token))
            defer { probe.stop() }
            #expect(await probe.waitOpen())
            // A burst into one conversation commits in rounds larger than the socket's queue
            // (sent to the service directly: the test client's requests go one at a time).
            let principal = try #require(server.members.authenticate(token: alice.token))
            let service = server.server.domains.messaging.service
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for index in 0..<60 {
                    tasks.addTask {
                        var body = MessageRules.RawBody(type: "text")
                        body.content = "\(index)"
                        _ = try await service.send(principal, to: .group(group), mentions: nil, body: body)
                    }
                }
                try await tasks.waitForAll()
            }
            // Then frames queued faster than any socket is written (one synchronous loop), in
            // case the sends above were written as fast as they came.
            let gateway = server.server.domains.messaging.gateway
            for _ in 0..<200 where !probe.isEnded { gateway.broadcast(String(repeating: "x", count: 1000)) }
            #expect(await probe.wait { $0.isEnded })
            #expect(probe.close?.code == .policyViolation && probe.close?.reason?.hasPrefix("slow_consumer") == true)
            #expect(try await MetricsAPITests.scrape(client).contains("logbook_stream_slow_consumers_total 1"))
            let received = probe.frames(ofType: "message")

            // Resuming from the last cursor it got gives exactly the rest.
            let cursor = received.last?["cursor"] as? String ?? ""
            let resumed = StreamProbe.open(port: port, query: "after=\(cursor)", headers: bearer(bob.token))  // empty: from the start
            defer { resumed.stop() }
            #expect(await resumed.wait { !$0.frames(ofType: "caught_up").isEmpty })
            let all = (probe.texts + resumed.texts).compactMap(Int.init)
            #expect(all.count == 60 && Set(all).count == 60)
        }
    }

    @Test func resumingAfterARestartReplaysWhatWasMissedThenGoesLive() async throws {
        let log = InMemoryEventLog()
        let keys = InMemoryMemberKeyStore()
        final class Saved: Sendable { let value = Mutex((aliceToken: "", bobToken: "", aliceID: "", cursor: "")) }
        let saved = Saved()
        do {
            let first = try await TestServer(log: log, memberKeys: keys)
            try await first.test { client in
                let alice = try await client.registerMember("alice")
                let bob = try await client.registerMember("bob")
                for text in ["one", "two", "three"] { _ = try await client.sendText(bob.token, to: alice.id, text) }
                let cursor = try #require((try await client.call(.get, "/v1/sync?limit=1", headers: bearer(alice.token)))["next_cursor"] as? String)
                saved.value.withLock { $0 = (alice.token, bob.token, alice.id, cursor) }
            }
        }
        let (aliceToken, bobToken, aliceID, start) = saved.value.withLock { $0 }
        let restarted = try await TestServer(log: log, memberKeys: keys)
        try await restarted.live { client, port in
            let probe = StreamProbe.open(port: port, query: "after=\(start)", headers: bearer(aliceToken))
            defer { probe.stop() }
            #expect(await probe.wait { !$0.frames(ofType: "caught_up").isEmpty })
            #expect(probe.texts == ["two", "three"])
            _ = try await client.sendText(bobToken, to: aliceID, "four")
            #expect(await probe.wait { $0.texts == ["two", "three", "four"] })
            let types = probe.decoded.compactMap { $0["type"] as? String }.filter { $0 != "pong" }
            #expect(types == ["message", "message", "caught_up", "message"])
            let seqs = probe.frames(ofType: "message").compactMap { ($0["message"] as? [String: Any])?["seq"] as? Int }
            #expect(seqs == [2, 3, 4])
        }
    }
}
