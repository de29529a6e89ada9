public import EventSourcing
public import Members

/// The messaging decisions: pure functions of a checked command, the seq the sequencer
/// gives, the time, the sender's seal and a random source. Tested without a log or HTTP.
public enum MessageDecisions {
    /// Where a message goes.
    public enum Target: Hashable, Sendable {
        case member(String)
        case group(String)
    }

    /// The `message.sent.v1` event of a message at `seq`, its body sealed under the
    /// sender's key, and the message as the sender sees it.
    public static func send<R: RandomNumberGenerator>(
        id: EntityID, conversation: ConversationID, seq: UInt64, sender: String, target: Target, mentions: [String], body: MessageBody,
        seal: PersonalDataSeal, now: Timestamp, metadata: EventMetadata, random: inout R
    ) throws -> (NewEvent, MessageView) {
        let sealed = try seal.seal(body.encoded, as: .message(id: id.rawValue), random: &random)
        var toMember = ""
        var toGroup = ""
        switch target {
        case .member(let member): toMember = member
        case .group(let group): toGroup = group
        }
        let event = MessageSent(
            messageID: id.rawValue, senderID: sender, toMemberID: toMember, toGroupID: toGroup, atMemberIDs: mentions,
            kind: body.kind.rawValue, body: sealed)
        let view = MessageView(
            id: id.rawValue, conversationID: conversation, seq: seq, senderID: sender, toMemberID: toMember.isEmpty ? nil : toMember,
            toGroupID: toGroup.isEmpty ? nil : toGroup, atMemberIDs: mentions, kind: body.kind, body: body, sentAt: now, position: 0)
        return (event.newEvent(at: now, metadata: metadata), view)
    }

    /// A read mark: refused above the last seq; nothing to append when it does not rise.
    public static func read(
        _ conversation: ConversationID, upTo seq: UInt64, lastSeq: UInt64, currentMark: UInt64, now: Timestamp, metadata: EventMetadata
    ) throws(MessageError) -> NewEvent? {
        guard seq <= lastSeq else {
            throw .invalid(field: "up_to_seq", reason: "up_to_seq must not be above the conversation's last seq (\(lastSeq)).")
        }
        guard seq > currentMark else { return nil }
        return ConversationRead(conversationID: conversation.rawValue, upToSeq: seq).newEvent(at: now, metadata: metadata)
    }

    /// An admin broadcast to the `sockets` connected now: 1-1,000 characters of free text,
    /// recorded with the admin as its actor.
    public static func broadcast(
        id: EntityID, content: String, sockets: Int, now: Timestamp, metadata: EventMetadata
    ) throws(MessageError) -> (StreamAppend, BroadcastSent) {
        if let reason = TextRule.freeText(min: 1, max: MessageRules.maxBroadcast).violation(in: content) {
            throw .invalid(field: "content", reason: "content \(reason)")
        }
        guard let stream = MessageStreams.broadcast(id) else { throw .invalid(field: "content", reason: "No stream for the broadcast.") }
        var metadata = metadata
        metadata.actor = "admin"
        let event = BroadcastSent(broadcastID: id.rawValue, content: content, sockets: UInt64(max(0, sockets)))
        return (StreamAppend(stream: stream, expected: .noStream, events: [event.newEvent(at: now, metadata: metadata)]), event)
    }

    /// The message a recorded `message.sent.v1` is, opened with the sender's seal (nil
    /// seal: the sender is deleted, the body stays sealed for ever).
    public static func view(_ event: RecordedEvent, _ sent: MessageSent, seal: PersonalDataSeal?) -> MessageView? {
        guard let conversation = ConversationID(event.stream.id), let kind = MessageBody.Kind(rawValue: sent.kind) else { return nil }
        var body: MessageBody?
        if let seal, case .part(let bytes)? = seal.open(sent.body, as: .message(id: sent.messageID)) {
            body = try? MessageBody(encoded: bytes)
        }
        return MessageView(
            id: sent.messageID, conversationID: conversation, seq: event.version, senderID: sent.senderID,
            toMemberID: sent.toMemberID.isEmpty ? nil : sent.toMemberID, toGroupID: sent.toGroupID.isEmpty ? nil : sent.toGroupID,
            atMemberIDs: sent.atMemberIDs, kind: kind, body: body, sentAt: event.timestamp, position: event.position)
    }
}
