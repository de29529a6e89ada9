import EventSourcing
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Members
import Messaging
import Testing

@Suite struct MessagingAPITests {
    @Test func directMessagesShareOneConversationWithAGaplessSeqUnreadCountsAndReadMarks() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            let first = try await client.sendText(alice.token, to: bob.id, "hi bob")
            #expect(first.status == .created, "\(first.json)")
            let conversation = try #require(first["conversation_id"] as? String)
            #expect(first["seq"] as? Int == 1 && first["sender_id"] as? String == alice.id && first["to_member_id"] as? String == bob.id)
            #expect(first["to_group_id"] == nil && (first["at_member_ids"] as? [String]) == [])
            #expect((first["body"] as? [String: Any])?["content"] as? String == "hi bob" && first["sent_at"] as? String == server.clock.now.rfc3339)
            #expect((try await client.sendText(alice.token, to: bob.id, "are you there"))["seq"] as? Int == 2)
            // Bob writing back lands in the same conversation.
            let reply = try await client.sendText(bob.token, to: alice.id, "yes")
            #expect(reply["conversation_id"] as? String == conversation && reply["seq"] as? Int == 3)
            #expect((try await client.sendText(alice.token, to: bob.id, "good"))["seq"] as? Int == 4)

            // Bob's last message read his view up to 3; alice's own messages are never unread.
            let bobs = try await client.conversations(bob.token)
            #expect(bobs.count == 1 && bobs[0]["conversation_id"] as? String == conversation && bobs[0]["kind"] as? String == "direct")
            #expect(bobs[0]["peer_id"] as? String == alice.id && bobs[0]["unread_count"] as? Int == 1)
            #expect(((bobs[0]["last_message"] as? [String: Any])?["body"] as? [String: Any])?["content"] as? String == "good")
            #expect((try await client.conversations(alice.token)).first?["unread_count"] as? Int == 0)

            // Read marks: up to 4 clears; above the last seq is refused; lower marks change nothing.
            let above = try await client.call(.put, "/v1/conversations/\(conversation)/read", json: #"{"up_to_seq":5}"#, headers: bearer(bob.token))
            #expect(above.status == .badRequest && above.error["field"] as? String == "up_to_seq")
            #expect(try await client.call(.put, "/v1/conversations/\(conversation)/read", json: #"{"up_to_seq":4}"#, headers: bearer(bob.token)).status == .noContent)
            #expect((try await client.conversations(bob.token)).first?["unread_count"] as? Int == 0)
            let events = try await server.allEvents().count
            #expect(try await client.call(.put, "/v1/conversations/\(conversation)/read", json: #"{"up_to_seq":2}"#, headers: bearer(bob.token)).status == .noContent)
            #expect(try await server.allEvents().count == events)
            let badRead = try await client.call(.put, "/v1/conversations/\(conversation)/read", json: #"{"up_to_seq":"x"}"#, headers: bearer(bob.token))
            #expect(badRead.status == .badRequest)

            // History: newest first, paged by before_seq.
            let page = try await client.call(.get, "/v1/conversations/\(conversation)/messages?limit=3", headers: bearer(bob.token))
            #expect(page.status == .ok)
            let items = page["items"] as? [[String: Any]] ?? []
            #expect(items.compactMap { $0["seq"] as? Int } == [4, 3, 2] && page["next_before_seq"] as? Int == 2)
            let rest = try await client.call(.get, "/v1/conversations/\(conversation)/messages?limit=3&before_seq=2", headers: bearer(bob.token))
            #expect((rest["items"] as? [[String: Any]] ?? []).compactMap { $0["seq"] as? Int } == [1] && rest.json["next_before_seq"] is NSNull)
            for bad in ["limit=0", "limit=101", "before_seq=0", "before_seq=x"] {
                let refused = try await client.call(.get, "/v1/conversations/\(conversation)/messages?\(bad)", headers: bearer(bob.token))
                #expect(refused.status == .badRequest, "\(bad)")
            }

            // Participants only: a third member does not see the pair's conversation.
            let carol = try await client.registerMember("carol")
            #expect(try await client.call(.get, "/v1/conversations/\(conversation)/messages", headers: bearer(carol.token)).status == .notFound)
            #expect(try await client.call(.put, "/v1/conversations/\(conversation)/read", json: #"{"up_to_seq":1}"#, headers: bearer(carol.token)).status == .notFound)
            #expect(try await client.call(.get, "/v1/conversations/nonsense/messages", headers: bearer(carol.token)).status == .notFound)
            #expect(try await client.call(.get, "/v1/conversations").status == .unauthorized)
            #expect(try await client.call(.get, "/v1/conversations/\(conversation)/messages").status == .unauthorized)
            #expect(try await client.conversations(carol.token).isEmpty)
        }
    }

    @Test func conversationsAreListedNewestActivityFirst() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            let carol = try await client.registerMember("carol")
            let group = try await client.createGroup(alice.token)
            _ = try await client.sendText(bob.token, to: alice.id)
            _ = try await client.sendText(carol.token, to: alice.id)
            _ = try await client.sendMessage(alice.token, #""to_group_id":"\#(group)""#)
            #expect(try await client.conversations(alice.token).compactMap { $0["kind"] as? String } == ["group", "direct", "direct"])
            _ = try await client.sendText(bob.token, to: alice.id)
            let list = try await client.conversations(alice.token)
            #expect(list.compactMap { $0["peer_id"] as? String ?? $0["group_id"] as? String } == [bob.id, group, carol.id])
            #expect(list.compactMap { $0["unread_count"] as? Int } == [2, 0, 1])
        }
    }

    /// The list is cursor-paged: a crawl sees every conversation once, newest activity
    /// first; a listed conversation with new activity moves to the top and is not repeated.
    @Test func conversationsArePagedByCursor() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            var peers: [String] = []
            var tokens: [String] = []
            for name in ["bob", "carol", "dave", "erin", "frank"] {
                let peer = try await client.registerMember(name)
                _ = try await client.sendText(peer.token, to: alice.id)
                (peers, tokens) = (peers + [peer.id], tokens + [peer.token])
            }
            let first = try await client.call(.get, "/v1/conversations?limit=2", headers: bearer(alice.token))
            #expect(first.status == .ok)
            var seen = (first["items"] as? [[String: Any]] ?? []).compactMap { $0["peer_id"] as? String }
            #expect(seen == [peers[4], peers[3]])
            var cursor = try #require(first["next_cursor"] as? String)
            // frank writes again: his conversation moves to the top, not onto a later page.
            _ = try await client.sendText(tokens[4], to: alice.id)
            while true {
                let page = try await client.call(.get, "/v1/conversations?limit=2&cursor=\(cursor)", headers: bearer(alice.token))
                #expect(page.status == .ok)
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["peer_id"] as? String }
                guard let next = page["next_cursor"] as? String else {
                    #expect(page.json["next_cursor"] is NSNull)
                    break
                }
                cursor = next
            }
            #expect(seen == peers.reversed())
            let all = try await client.call(.get, "/v1/conversations", headers: bearer(alice.token))
            #expect((all["items"] as? [[String: Any]])?.count == 5 && all.json["next_cursor"] is NSNull)
            for bad in ["limit=0", "limit=101", "cursor=nonsense", "cursor=YzE"] {
                let refused = try await client.call(.get, "/v1/conversations?\(bad)", headers: bearer(alice.token))
                #expect(refused.status == .badRequest && refused.error["field"] as? String == (bad.hasPrefix("limit") ? "limit" : "cursor"), "\(bad)")
            }
        }
    }

    @Test func everyBodyTypeIsAcceptedWithItsFields() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            let bodies: [(String, [String: Any])] = [
                (#"{"type":"text","content":"你好 👋"}"#, ["content": "你好 👋"]),
                (#"{"type":"location","lat":31.23,"lng":-121.47,"desc":"外滩","map_link":"https://maps.example.com/x","cover_image":"https://example.com/c.png"}"#,
                    ["lat": 31.23, "lng": -121.47, "desc": "外滩", "map_link": "https://maps.example.com/x"]),
                (#"{"type":"face","symbol":"[smile]"}"#, ["symbol": "[smile]"]),
                (#"{"type":"sound","url":"https://example.com/a.amr","size":2048,"seconds":3}"#, ["url": "https://example.com/a.amr", "size": 2048, "seconds": 3]),
                (#"{"type":"image","url":"https://example.com/i.png","format":"png","width":640,"height":480,"size":1000}"#,
                    ["format": "png", "width": 640, "height": 480, "size": 1000]),
                (#"{"type":"file","url":"https://example.com/f.pdf","name":"报告.pdf","size":0}"#, ["name": "报告.pdf", "size": 0]),
                (#"{"type":"video","url":"https://example.com/v.mp4","format":"mp4","size":10,"seconds":0,"thumb_url":"https://example.com/t.jpg","thumb_width":320.5,"thumb_height":240,"thumb_format":"jpg"}"#,
                    ["format": "mp4", "seconds": 0, "thumb_url": "https://example.com/t.jpg", "thumb_width": 320.5, "thumb_format": "jpg"]),
            ]
            for (index, (body, expected)) in bodies.enumerated() {
                let sent = try await client.sendMessage(alice.token, #""to_member_id":"\#(bob.id)""#, body: body)
                #expect(sent.status == .created, "\(body): \(sent.json)")
                #expect(sent["seq"] as? Int == index + 1)
                let shown = sent["body"] as? [String: Any] ?? [:]
                for (key, value) in expected {
                    #expect("\(shown[key] ?? "missing")" == "\(value)", "\(body) \(key)")
                }
            }
            // The history shows the same bodies after a round trip through the sealed log.
            let history = try await client.call(.get, "/v1/conversations/\(ConversationID.direct(EntityID(alice.id)!, EntityID(bob.id)!))/messages?limit=7", headers: bearer(bob.token))
            let types = (history["items"] as? [[String: Any]] ?? []).compactMap { ($0["body"] as? [String: Any])?["type"] as? String }
            #expect(types == ["video", "file", "image", "sound", "face", "location", "text"])
        }
    }

    @Test func badBodiesAreRefusedNamingTheField() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            let longText = String(repeating: "a", count: 1_001)
            let cases: [(String, String)] = [
                (#"{"type":"sticker"}"#, "body.type"),
                (#"{"type":"text"}"#, "body.content"),
                (#"{"type":"text","content":""}"#, "body.content"),
                (#"{"type":"text","content":"   "}"#, "body.content"),
                (#"{"type":"text","content":"\#(longText)"}"#, "body.content"),
                (#"{"type":"text","content":"a\u0000b"}"#, "body.content"),
                (#"{"type":"location","lat":91,"lng":0}"#, "body.lat"),
                (#"{"type":"location","lat":0,"lng":-180.5}"#, "body.lng"),
                (#"{"type":"location","lng":0}"#, "body.lat"),
                (#"{"type":"location","lat":0,"lng":0,"map_link":"javascript:alert(1)"}"#, "body.map_link"),
                (#"{"type":"face","symbol":""}"#, "body.symbol"),
                (#"{"type":"sound","url":"https://example.com/a","size":-1,"seconds":1}"#, "body.size"),
                (#"{"type":"sound","url":"https://example.com/a","size":1,"seconds":-5}"#, "body.seconds"),
                (#"{"type":"sound","url":"ftp://example.com/a","size":1,"seconds":1}"#, "body.url"),
                (#"{"type":"image","url":"https://example.com/i","format":"tiff","width":1,"height":1,"size":1}"#, "body.format"),
                (#"{"type":"image","url":"https://example.com/i","format":"png","width":-1,"height":1,"size":1}"#, "body.width"),
                (#"{"type":"image","url":"https://example.com/i","format":"png","width":1,"height":1}"#, "body.size"),
                (#"{"type":"file","url":"https://example.com/f","size":1}"#, "body.name"),
                (#"{"type":"video","url":"https://example.com/v","format":"png","size":1,"seconds":1}"#, "body.format"),
                (#"{"type":"video","url":"https://example.com/v","format":"mkv","size":1,"seconds":1,"thumb_format":"mp4"}"#, "body.thumb_format"),
                (#"{"type":"video","url":"https://example.com/v","format":"mkv","size":1,"seconds":1,"thumb_width":-2}"#, "body.thumb_width"),
            ]
            for (body, field) in cases {
                let refused = try await client.sendMessage(alice.token, #""to_member_id":"\#(bob.id)""#, body: body)
                #expect(refused.status == .badRequest && refused.errorCode == "validation_failed", "\(body): \(refused.json)")
                #expect(refused.error["field"] as? String == field, "\(body): \(refused.json)")
            }
            let wrongType = try await client.sendMessage(alice.token, #""to_member_id":"\#(bob.id)""#, body: #"{"type":"sound","url":"https://e.com/a","size":"big","seconds":1}"#)
            #expect(wrongType.status == .badRequest)
            let missingBody = try await client.call(.post, "/v1/messages", json: #"{"to_member_id":"\#(bob.id)"}"#, headers: bearer(alice.token))
            #expect(missingBody.status == .badRequest && missingBody.error["field"] as? String == "body")
            let neither = try await client.call(.post, "/v1/messages", json: #"{"body":{"type":"text","content":"x"}}"#, headers: bearer(alice.token))
            #expect(neither.status == .badRequest && neither.error["field"] as? String == "to_member_id")
            let both = try await client.sendMessage(alice.token, #""to_member_id":"\#(bob.id)","to_group_id":"\#(bob.id)""#)
            #expect(both.status == .badRequest)
            // Nothing refused was appended.
            #expect(try await server.allEvents().filter { $0.type == MessageSent.type }.isEmpty)
            // API.md's free-text limit: 1,000 characters is the longest text.
            let longest = String(repeating: "字", count: 1_000)
            let accepted = try await client.sendMessage(alice.token, #""to_member_id":"\#(bob.id)""#, body: #"{"type":"text","content":"\#(longest)"}"#)
            #expect(accepted.status == .created)
        }
    }

    @Test func recipientsAreChecked() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            #expect(try await client.sendText(alice.token, to: EntityID.example.rawValue).status == .notFound)
            #expect(try await client.sendText(alice.token, to: "not-an-id").status == .notFound)
            let toSelf = try await client.sendText(alice.token, to: alice.id)
            #expect(toSelf.status == .badRequest && toSelf.error["field"] as? String == "to_member_id")
            let mention = try await client.sendMessage(alice.token, #""to_member_id":"\#(bob.id)""#, extra: #","at_member_ids":["\#(bob.id)"]"#)
            #expect(mention.status == .badRequest && mention.error["field"] as? String == "at_member_ids")
            #expect(try await client.call(.post, "/v1/messages", json: #"{"to_member_id":"\#(bob.id)","body":{"type":"text","content":"x"}}"#).status == .unauthorized)
            // A deleted member cannot be written to.
            #expect(try await client.call(.delete, "/v1/members/me", json: #"{"password":"correct-horse-7"}"#, headers: bearer(bob.token)).status == .noContent)
            let gone = try await client.sendText(alice.token, to: bob.id)
            #expect(gone.status == .notFound && gone.errorCode == "not_found")
        }
    }

    @Test func groupMessagesAreForMembersAndMentionMembersOnly() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let owner = try await client.registerMember("owner")
            let member = try await client.registerMember("member")
            let outsider = try await client.registerMember("outsider")
            let group = try await client.createGroup(owner.token)
            #expect(try await client.join(group, member.token).status == .noContent)

            let sent = try await client.sendMessage(owner.token, #""to_group_id":"\#(group)""#, extra: #","at_member_ids":["\#(member.id)","\#(member.id)"]"#)
            #expect(sent.status == .created && sent["seq"] as? Int == 1 && sent["to_group_id"] as? String == group)
            #expect(sent["at_member_ids"] as? [String] == [member.id] && sent["conversation_id"] as? String == "g.\(group)")
            #expect((try await client.sendMessage(member.token, #""to_group_id":"\#(group)""#))["seq"] as? Int == 2)

            let notMember = try await client.sendMessage(outsider.token, #""to_group_id":"\#(group)""#)
            #expect(notMember.status == .forbidden && notMember.errorCode == "forbidden")
            let badMention = try await client.sendMessage(owner.token, #""to_group_id":"\#(group)""#, extra: #","at_member_ids":["\#(outsider.id)"]"#)
            #expect(badMention.status == .badRequest && badMention.error["field"] as? String == "at_member_ids")
            #expect(try await client.sendMessage(owner.token, #""to_group_id":"\#(EntityID.example.rawValue)""#).status == .notFound)

            #expect(try await client.call(.get, "/v1/conversations/g.\(group)/messages", headers: bearer(outsider.token)).status == .forbidden)
            let history = try await client.call(.get, "/v1/conversations/g.\(group)/messages", headers: bearer(member.token))
            #expect((history["items"] as? [[String: Any]] ?? []).compactMap { $0["seq"] as? Int } == [2, 1])
            let list = try await client.conversations(owner.token)
            #expect(list.first?["group_id"] as? String == group && list.first?["unread_count"] as? Int == 1)

            // A member who left no longer posts or reads.
            #expect(try await client.removeMember(group, member.id, member.token).status == .noContent)
            #expect(try await client.sendMessage(member.token, #""to_group_id":"\#(group)""#).status == .forbidden)
            #expect(try await client.call(.get, "/v1/conversations/g.\(group)/messages", headers: bearer(member.token)).status == .forbidden)
        }
    }

    @Test func concurrentSendsGetUniqueGaplessSeqs() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            let seqs = try await withThrowingTaskGroup(of: Int?.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let (from, to) = index.isMultiple(of: 2) ? (alice.token, bob.id) : (bob.token, alice.id)
                        return try await client.sendText(from, to: to, "m\(index)")["seq"] as? Int
                    }
                }
                return try await group.reduce(into: [Int]()) { if let seq = $1 { $0.append(seq) } }
            }
            #expect(seqs.sorted() == Array(1...40))
            let versions = try await server.allEvents().filter { $0.type == MessageSent.type }.map(\.version)
            #expect(versions.sorted() == Array(1...40).map(UInt64.init))
        }
    }

    @Test func anIdempotentRetryAnswersTheSameMessageAndAppendsNothing() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            var key = HTTPFields()
            key[HTTPField.Name("Idempotency-Key")!] = "send-1"
            let first = try await client.sendMessage(alice.token, #""to_member_id":"\#(bob.id)""#, headers: key)
            let events = try await server.allEvents().count
            let again = try await client.sendMessage(alice.token, #""to_member_id":"\#(bob.id)""#, headers: key)
            #expect(first.status == .created && again.status == .created && again["id"] as? String == first["id"] as? String)
            let after = try await server.allEvents().count
            #expect(again["seq"] as? Int == 1 && after == events)
            let other = try await client.sendMessage(alice.token, #""to_member_id":"\#(bob.id)""#, body: #"{"type":"text","content":"other"}"#, headers: key)
            #expect(other.status == .unprocessableContent && other.errorCode == "idempotency_key_reused")
        }
    }

    @Test func bodiesAreSealedUnderTheSendersKeyAndGoneWithTheAccount() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            let sent = try await client.sendMessage(
                alice.token, #""to_member_id":"\#(bob.id)""#, body: #"{"type":"image","url":"https://secret.example.com/p.png","format":"png","width":1,"height":1,"size":1}"#)
            #expect(sent.status == .created)
            _ = try await client.sendText(alice.token, to: bob.id, "the-secret-words")
            for event in try await server.allEvents() {
                #expect(!event.payload.contains(text: "the-secret-words") && !event.payload.contains(text: "secret.example.com"))
            }
            #expect(try await client.call(.delete, "/v1/members/me", json: #"{"password":"correct-horse-7"}"#, headers: bearer(alice.token)).status == .noContent)
            let conversation = try #require(sent["conversation_id"] as? String)
            let history = try await client.call(.get, "/v1/conversations/\(conversation)/messages", headers: bearer(bob.token))
            let bodies = (history["items"] as? [[String: Any]] ?? []).compactMap { $0["body"] as? [String: Any] }
            #expect(bodies.count == 2 && bodies.allSatisfy { $0["erased"] as? Bool == true && $0["content"] == nil && $0["url"] == nil })
            #expect(bodies.compactMap { $0["type"] as? String } == ["text", "image"])
        }
    }

    @Test func syncReplaysTheMembersMessagesInCommitOrderFromACursor() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            let carol = try await client.registerMember("carol")
            let group = try await client.createGroup(carol.token)
            _ = try await client.join(group, alice.token)
            _ = try await client.sendText(bob.token, to: alice.id, "1")
            _ = try await client.sendText(carol.token, to: bob.id, "not for alice")
            _ = try await client.sendText(alice.token, to: bob.id, "2")
            _ = try await client.sendMessage(carol.token, #""to_group_id":"\#(group)""#, body: #"{"type":"text","content":"3"}"#)
            let all = try await client.call(.get, "/v1/sync", headers: bearer(alice.token))
            let texts = (all["items"] as? [[String: Any]] ?? []).compactMap { ($0["body"] as? [String: Any])?["content"] as? String }
            #expect(all.status == .ok && texts == ["1", "2", "3"] && all["has_more"] as? Bool == false)

            let first = try await client.call(.get, "/v1/sync?limit=1", headers: bearer(alice.token))
            #expect((first["items"] as? [Any])?.count == 1 && first["has_more"] as? Bool == true)
            let cursor = try #require(first["next_cursor"] as? String)
            let rest = try await client.call(.get, "/v1/sync?after=\(cursor)", headers: bearer(alice.token))
            #expect((rest["items"] as? [[String: Any]] ?? []).compactMap { ($0["body"] as? [String: Any])?["content"] as? String } == ["2", "3"])
            let end = try #require(rest["next_cursor"] as? String)
            let none = try await client.call(.get, "/v1/sync?after=\(end)", headers: bearer(alice.token))
            #expect((none["items"] as? [Any])?.isEmpty == true && none["next_cursor"] as? String == end)

            #expect(try await client.call(.get, "/v1/sync?after=garbage!", headers: bearer(alice.token)).status == .badRequest)
            #expect(try await client.call(.get, "/v1/sync?limit=0", headers: bearer(alice.token)).status == .badRequest)
            #expect(try await client.call(.get, "/v1/sync").status == .unauthorized)
        }
    }

    /// Sync gives a member a group's messages committed while they were in it: a newcomer
    /// does not get (nor have unread) what was said before they joined, whatever their cursor;
    /// a member removed while offline still gets what was said before the removal.
    @Test func syncGivesGroupMessagesForTheTimeTheMemberWasIn() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let owner = try await client.registerMember("owner")
            let newcomer = try await client.registerMember("newcomer")
            let leaver = try await client.registerMember("leaver")
            let group = try await client.createGroup(owner.token)
            #expect(try await client.join(group, leaver.token).status == .noContent)
            let text = { (content: String) in #"{"type":"text","content":"\#(content)"}"# }
            _ = try await client.sendMessage(owner.token, #""to_group_id":"\#(group)""#, body: text("before"))
            #expect(try await client.join(group, newcomer.token).status == .noContent)
            _ = try await client.sendMessage(owner.token, #""to_group_id":"\#(group)""#, body: text("together"))
            #expect(try await client.removeMember(group, leaver.id, owner.token).status == .noContent)
            _ = try await client.sendMessage(owner.token, #""to_group_id":"\#(group)""#, body: text("after"))

            func synced(_ token: String) async throws -> [String] {
                let answer = try await client.call(.get, "/v1/sync", headers: bearer(token))
                #expect(answer.status == .ok)
                return (answer["items"] as? [[String: Any]] ?? []).compactMap { ($0["body"] as? [String: Any])?["content"] as? String }
            }
            #expect(try await synced(owner.token) == ["before", "together", "after"])
            #expect(try await synced(newcomer.token) == ["together", "after"])
            #expect(try await synced(leaver.token) == ["before", "together"])
            let listed = try await client.conversations(newcomer.token)
            #expect(listed.first?["unread_count"] as? Int == 2, "only what was said since joining is unread")
        }
    }

    @Test func theRoutesAreInTheOpenAPIDocument() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let reply = try await client.call(.get, "/openapi.json")
            let paths = reply["paths"] as? [String: Any] ?? [:]
            for path in [
                "/v1/messages", "/v1/conversations", "/v1/conversations/{id}/messages", "/v1/conversations/{id}/read", "/v1/sync", "/v1/stream",
                "/v1/admin/broadcast",
            ] {
                #expect(paths[path] != nil, "\(path)")
            }
            let history = (paths["/v1/conversations/{id}/messages"] as? [String: Any])?["get"] as? [String: Any]
            let names = (history?["parameters"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names.contains("before_seq") && names.contains("limit"))
            // A plain GET of the stream asks for the upgrade.
            let alice = try await client.registerMember("alice")
            #expect(try await client.call(.get, "/v1/stream", headers: bearer(alice.token)).status == .upgradeRequired)
            #expect(try await client.call(.get, "/v1/stream").status == .unauthorized)
            #expect(try await client.call(.get, "/v1/stream?after=zz!", headers: bearer(alice.token)).status == .badRequest)
        }
    }
}
