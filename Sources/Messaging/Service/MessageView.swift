public import EventSourcing

/// A message as the routes and the gateway show it: API.md's Message, plus the log
/// position it was committed at (the resume cursor) . `body` is nil when the sender's
/// account is deleted (its key is gone, the body unrecoverable).
public struct MessageView: Hashable, Sendable {
    public var id: String
    public var conversationID: ConversationID
    public var seq: UInt64
    public var senderID: String
    public var toMemberID: String?
    public var toGroupID: String?
    public var atMemberIDs: [String]
    public var kind: MessageBody.Kind
    public var body: MessageBody?
    public var sentAt: Timestamp
    public var position: LogPosition
}

/// A conversation in the caller's list: its last message and how many are unread.
public struct ConversationView: Hashable, Sendable {
    public var id: ConversationID
    public var peerID: String?
    public var groupID: String?
    public var lastMessage: MessageView?
    public var unreadCount: UInt64
    public var lastSeq: UInt64
}
