public import EventSourcing
public import Members

/// A member sent a message into a conversation (`conversation-<id>`); its `seq` is the
/// event's version in that stream. The body is sealed under the sender's key
/// (`PersonalDataSeal`, part `message:<id>`): deleting the sender's account makes it
/// unrecoverable. Recipients, mentions and the kind stay readable (routing, counts).
public struct MessageSent: EventPayload {
    public static let type = "message.sent.v1"
    public var messageID: String
    public var senderID: String
    /// The recipient of a direct message ("" for a group message).
    public var toMemberID: String
    /// The group of a group message ("" for a direct message).
    public var toGroupID: String
    public var atMemberIDs: [String]
    public var kind: String
    public var body: SealedPart

    public init(
        messageID: String, senderID: String, toMemberID: String, toGroupID: String, atMemberIDs: [String], kind: String, body: SealedPart
    ) {
        (self.messageID, self.senderID, self.toMemberID, self.toGroupID) = (messageID, senderID, toMemberID, toGroupID)
        (self.atMemberIDs, self.kind, self.body) = (atMemberIDs, kind, body)
    }

    public init(from r: inout BinaryReader) throws {
        let (messageID, senderID, toMemberID, toGroupID) = (try r.readString(), try r.readString(), try r.readString(), try r.readString())
        var mentions: [String] = []
        for _ in 0..<(try r.readCount(max: MessageRules.maxMentions)) { mentions.append(try r.readString()) }
        self.init(
            messageID: messageID, senderID: senderID, toMemberID: toMemberID, toGroupID: toGroupID, atMemberIDs: mentions,
            kind: try r.readString(), body: SealedPart(bytes: try r.readBytes()))
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(messageID); w.write(senderID); w.write(toMemberID); w.write(toGroupID)
        w.write(UInt64(atMemberIDs.count))
        for id in atMemberIDs { w.write(id) }
        w.write(kind); w.write(body.bytes)
    }

    public var json: JSONValue {
        [
            "message_id": .string(messageID), "sender_id": .string(senderID), "to_member_id": .string(toMemberID),
            "to_group_id": .string(toGroupID), "at_member_ids": .array(atMemberIDs.map { .string($0) }), "kind": .string(kind),
            "body_sealed_bytes": .count(body.bytes.count),
        ]
    }

    public static let example = MessageSent(
        messageID: "01KB7Y3Q0000000000000000AM", senderID: "01KB7Y3Q0000000000000000AA", toMemberID: "01KB7Y3Q0000000000000000AB",
        toGroupID: "", atMemberIDs: [], kind: "text", body: SealedPart(bytes: [2] + Array(repeating: 0, count: 40)))
}

/// A member read a conversation up to `seq` (`readmarks-<member>`): marks only rise.
public struct ConversationRead: EventPayload {
    public static let type = "message.conversation-read.v1"
    public var conversationID: String
    public var upToSeq: UInt64

    public init(conversationID: String, upToSeq: UInt64) { (self.conversationID, self.upToSeq) = (conversationID, upToSeq) }
    public init(from r: inout BinaryReader) throws { self.init(conversationID: try r.readString(), upToSeq: try r.readUInt64()) }
    public func encode(to w: inout BinaryWriter) { w.write(conversationID); w.write(upToSeq) }
    public var json: JSONValue { ["conversation_id": .string(conversationID), "up_to_seq": .count(upToSeq)] }
    public static let example = ConversationRead(
        conversationID: "d.01KB7Y3Q0000000000000000AA.01KB7Y3Q0000000000000000AB", upToSeq: 3)
}
