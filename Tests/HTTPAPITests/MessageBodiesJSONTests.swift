import EventSourcing
import Foundation
@testable import Messaging
import ServerKit
import Testing

/// The message answers that write themselves write what `JSONEncoder.api` writes.
@Suite struct MessageBodiesJSONTests {
    static func view(_ body: MessageBody?, kind: MessageBody.Kind, group: Bool) throws -> MessageView {
        var random = SystemRandomNumberGenerator()
        let now = Timestamp(millisecondsSince1970: 1_796_000_000_123)
        let (a, b, g) = (EntityID.make(now: now, random: &random), EntityID.make(now: now, random: &random), EntityID.make(now: now, random: &random))
        return MessageView(
            id: "msg1", conversationID: group ? .group(g) : .direct(a, b), seq: 42, senderID: "m1", toMemberID: group ? nil : "m2",
            toGroupID: group ? "g1" : nil, atMemberIDs: group ? ["m2", "m3"] : [], kind: kind, body: body,
            sentAt: Timestamp(millisecondsSince1970: 1_796_000_000_123), position: 7)
    }

    static var bodies: [MessageBody?] {
        var text = MessageBody(kind: .text)
        text.content = "hi \"there\" / 中文 \u{8}\n"
        var location = MessageBody(kind: .location)
        (location.lat, location.lng, location.desc) = (39.9042, -116.0, "Beijing")
        var image = MessageBody(kind: .image)
        (image.url, image.width, image.height, image.imageFormat, image.thumbWidth) = ("https://x.test/a.png", 640, 480, .png, 120.5)
        return [text, location, image, nil]
    }

    @Test func messagesHistoriesSyncsAndConversationsAreTheEncodersBytes() throws {
        for body in Self.bodies {
            for group in [false, true] {
                let view = try Self.view(body, kind: body?.kind ?? .file, group: group)
                let message = MessageBodies.Message(view)
                #expect(String(decoding: message.jsonBytes, as: UTF8.self) == String(decoding: try JSONEncoder.api.encode(message), as: UTF8.self))
                for next in [nil, 41] as [UInt64?] {
                    let history = MessageBodies.History(items: [message, message], nextBeforeSeq: next)
                    #expect(history.jsonBytes == Array(try JSONEncoder.api.encode(history)))
                }
                let frame = StreamFrames.MessageFrame(message: message, cursor: "c9")
                #expect(StreamFrames.text(frame) == String(decoding: try JSONEncoder.api.encode(frame), as: UTF8.self))
                let sync = MessageBodies.Sync(items: [message], nextCursor: "c1", hasMore: group)
                #expect(sync.jsonBytes == Array(try JSONEncoder.api.encode(sync)))
                let conversation = MessageBodies.Conversation(ConversationView(
                    id: view.conversationID, peerID: group ? nil : "m2", groupID: group ? "g1" : nil, lastMessage: group ? view : nil,
                    unreadCount: 3, lastSeq: 42))
                for next in [nil, "YzEfOR8x"] as [String?] {
                    let list = MessageBodies.Conversations(items: [conversation, conversation], nextCursor: next)
                    #expect(list.jsonBytes == Array(try JSONEncoder.api.encode(list)))
                }
            }
        }
    }
}
