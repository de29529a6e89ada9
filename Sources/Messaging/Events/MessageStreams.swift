public import EventSourcing

/// Stream names of the messaging domain, built here and nowhere else.
public enum MessageStreams {
    /// `conversation-<id>`: one conversation's messages; a message's `seq` is its version here.
    public static func conversation(_ id: ConversationID) -> StreamID? { StreamID(.conversation, key: id.rawValue) }

    /// `readmarks-<member id>`: how far a member has read each conversation.
    public static func readMarks(_ memberID: String) -> StreamID? { StreamID(.readMarks, key: memberID) }

    /// `broadcast-<id>`: one admin broadcast.
    public static func broadcast(_ id: EntityID) -> StreamID? { StreamID(.broadcast, key: id.rawValue) }
}

extension StreamCategory {
    /// `conversation-<id>`: the messages of one direct pair or one group, in seq order.
    public static let conversation = StreamCategory("conversation")
    /// `readmarks-<member id>`: a member's read marks.
    public static let readMarks = StreamCategory("readmarks")
    /// `broadcast-<id>`: an admin broadcast to every connected socket.
    public static let broadcast = StreamCategory("broadcast")
}
