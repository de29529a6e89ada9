import EventSourcing
import ServerKit

/// The JSON shapes of the messaging routes (API.md's Messaging section) and their schemas.
public enum MessageBodies {
    /// API.md's Message.
    public struct Message: Encodable, Sendable {
        var id, conversationID, senderID: String
        var seq: UInt64
        var toMemberID, toGroupID: String?
        var atMemberIDs: [String]
        var body: JSONValue
        var sentAt: String
        enum CodingKeys: String, CodingKey {
            case id, seq, body, conversationID = "conversation_id", senderID = "sender_id", toMemberID = "to_member_id"
            case toGroupID = "to_group_id", atMemberIDs = "at_member_ids", sentAt = "sent_at"
        }
        public init(_ view: MessageView) {
            (id, conversationID, senderID, seq) = (view.id, view.conversationID.rawValue, view.senderID, view.seq)
            (toMemberID, toGroupID, atMemberIDs, sentAt) = (view.toMemberID, view.toGroupID, view.atMemberIDs, view.sentAt.rfc3339)
            // The sender's account is deleted: the body is gone with their key.
            body = view.body?.json ?? ["type": .string(view.kind.rawValue), "erased": true]
        }
    }

    struct Conversation: Encodable {
        var conversationID: String
        var kind: String
        var peerID, groupID: String?
        var lastMessage: Message?
        var unreadCount, lastSeq: UInt64
        enum CodingKeys: String, CodingKey {
            case kind, conversationID = "conversation_id", peerID = "peer_id", groupID = "group_id", lastMessage = "last_message"
            case unreadCount = "unread_count", lastSeq = "last_seq"
        }
        init(_ view: ConversationView) {
            (conversationID, kind, peerID, groupID) = (view.id.rawValue, view.id.kind.rawValue, view.peerID, view.groupID)
            (lastMessage, unreadCount, lastSeq) = (view.lastMessage.map(Message.init), view.unreadCount, view.lastSeq)
        }
    }

    struct Conversations: Encodable {
        var items: [Conversation]
        var nextCursor: String?
        enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }
        /// Always writes `next_cursor` (`null` on the last page), as API.md's cursor lists do.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .items)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }

    struct History: Encodable {
        var items: [Message]
        var nextBeforeSeq: UInt64?
        enum CodingKeys: String, CodingKey { case items, nextBeforeSeq = "next_before_seq" }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .items)
            try container.encode(nextBeforeSeq, forKey: .nextBeforeSeq)
        }
    }

    struct Sync: Encodable {
        var items: [Message]
        var nextCursor: String
        var hasMore: Bool
        enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor", hasMore = "has_more" }
    }

    /// The body schemas the OpenAPI document shows (the body's fields per type, with seed 002's enums).
    static let messageBody: JSONValue = {
        let kinds: [JSONValue] = MessageBody.Kind.allCases.map { .string($0.rawValue) }
        let imageFormats: [JSONValue] = MessageBody.ImageFormat.allCases.map { .string($0.rawValue) }
        let formatNames: [String] = MessageBody.ImageFormat.allCases.map(\.rawValue) + MessageBody.VideoFormat.allCases.map(\.rawValue)
        let formats: [JSONValue] = Array(Set(formatNames)).sorted().map { .string($0) }
        var properties: [String: JSONValue] = [:]
        properties["type"] = ["type": "string", "enum": .array(kinds)]
        properties["content"] = TextRule.freeText(min: 1, max: MessageRules.maxText).schema("text:")
        properties["lat"] = ["type": "number", "minimum": -90, "maximum": 90, "description": "location"]
        properties["lng"] = ["type": "number", "minimum": -180, "maximum": 180, "description": "location"]
        properties["desc"] = TextRule.freeText(max: MessageRules.maxDescription).schema("location:")
        for key in ["map_link", "cover_image", "thumb_url", "url"] { properties[key] = MessageBodies.url }
        properties["symbol"] = TextRule.freeText(min: 1, max: MessageRules.maxSymbol).schema("face:")
        properties["name"] = TextRule.freeText(min: 1, max: MessageRules.maxFileName).schema("file:")
        for key in ["size", "seconds", "width", "height"] { properties[key] = MessageBodies.count }
        properties["format"] = ["type": "string", "description": "image: IMAGE_FORMAT; video: VIDEO_FORMAT", "enum": .array(formats)]
        properties["thumb_width"] = ["type": "number", "minimum": 0]
        properties["thumb_height"] = ["type": "number", "minimum": 0]
        properties["thumb_format"] = ["type": "string", "enum": .array(imageFormats)]
        return ["type": "object", "required": ["type"], "properties": .object(properties)]
    }()
    static let url: JSONValue = ["type": "string", "format": "uri", "maxLength": .number(MessageRules.maxURL), "description": "An http(s) URL."]
    static let count: JSONValue = ["type": "integer", "minimum": 0]

    static let sendRequest: JSONValue = [
        "type": "object", "required": ["body"],
        "description": "Exactly one of to_member_id and to_group_id.",
        "properties": [
            "to_member_id": ["type": "string", "pattern": "^[0-9A-HJKMNP-TV-Z]{26}$"],
            "to_group_id": ["type": "string", "pattern": "^[0-9A-HJKMNP-TV-Z]{26}$"],
            "at_member_ids": ["type": "array", "maxItems": .number(MessageRules.maxMentions), "items": ["type": "string"]],
            "body": messageBody,
        ],
    ]

    static let message: JSONValue = [
        "type": "object", "required": ["id", "conversation_id", "seq", "sender_id", "at_member_ids", "body", "sent_at"],
        "properties": [
            "id": ["type": "string"], "conversation_id": ["type": "string"], "seq": ["type": "integer", "minimum": 1],
            "sender_id": ["type": "string"], "to_member_id": ["type": "string"], "to_group_id": ["type": "string"],
            "at_member_ids": ["type": "array", "items": ["type": "string"]], "body": messageBody, "sent_at": ["type": "string", "format": "date-time"],
        ],
    ]

    static let conversations: JSONValue = [
        "type": "object", "required": ["items", "next_cursor"],
        "properties": [
            "next_cursor": ["type": ["string", "null"], "description": "The cursor of the next page; null on the last page."],
            "items": [
                "type": "array",
                "items": [
                    "type": "object", "required": ["conversation_id", "kind", "unread_count", "last_seq"],
                    "properties": [
                        "conversation_id": ["type": "string"], "kind": ["type": "string", "enum": ["direct", "group"]],
                        "peer_id": ["type": "string"], "group_id": ["type": "string"], "last_message": message,
                        "unread_count": ["type": "integer", "minimum": 0], "last_seq": ["type": "integer", "minimum": 0],
                    ],
                ],
            ]
        ],
    ]

    static let history: JSONValue = [
        "type": "object", "required": ["items", "next_before_seq"],
        "properties": ["items": ["type": "array", "items": message], "next_before_seq": ["type": ["integer", "null"], "minimum": 1]],
    ]

    static let sync: JSONValue = [
        "type": "object", "required": ["items", "next_cursor", "has_more"],
        "properties": ["items": ["type": "array", "items": message], "next_cursor": ["type": "string"], "has_more": ["type": "boolean"]],
    ]
}
