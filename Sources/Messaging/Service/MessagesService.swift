public import EventSourcing
public import Members
public import Groups
import HashTreeCollections

/// The messaging commands and queries against a log: the I/O around `MessageDecisions`.
///
/// Sends are checked against the members and groups read models (unknown recipient 404,
/// non-member 403, a disabled recipient 403, a deleted one 404), then numbered and
/// appended by the `MessageSequencer`. Reads go to the `MessagesReadModel` for seqs,
/// marks and positions, and to the log (`read(positions:)`) for the messages themselves: bodies
/// are never held in memory, only in the log, sealed.
public final class MessagesService: Sendable {
    public let log: any EventLog
    public let messages: LiveProjection<MessagesReadModel>
    public let members: MembersService
    public let groups: GroupsService
    let clock: @Sendable () -> Timestamp
    let sequencer: MessageSequencer

    public init(
        log: any EventLog, messages: LiveProjection<MessagesReadModel>, members: MembersService, groups: GroupsService,
        clock: @escaping @Sendable () -> Timestamp
    ) {
        (self.log, self.messages, self.members, self.groups, self.clock) = (log, messages, members, groups, clock)
        sequencer = MessageSequencer(log: log, clock: clock) { id in
            messages.read { model, _ in model.conversations[id.rawValue]?.lastSeq ?? 0 }
        }
    }

    /// `POST /v1/messages`: checks the sender, recipient and mentions, then appends the
    /// message at the conversation's next seq.
    public func send(
        _ principal: Principal, to target: MessageDecisions.Target, mentions rawMentions: [String]?, body: MessageRules.RawBody,
        metadata: EventMetadata = .none, idempotency: (@Sendable (MessageView) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<MessageView> {
        let body = try MessageRules.body(body)
        let mentions = try MessageRules.mentions(rawMentions)
        guard let sender = EntityID(principal.memberID) else { throw MessageError.unauthenticated }
        let conversation: ConversationID
        switch target {
        case .member(let raw):
            guard mentions.isEmpty else {
                throw MessageError.invalid(field: "at_member_ids", reason: "at_member_ids are for group messages.")
            }
            guard let recipient = EntityID(raw) else { throw MessageError.notFound }
            guard recipient != sender else { throw MessageError.invalid(field: "to_member_id", reason: "to_member_id cannot be the sender.") }
            switch members.members.read({ model, _ in model.member(recipient.rawValue)?.status }) {
            case .active?: break
            case .disabled?: throw MessageError.forbidden(reason: "The recipient's account is disabled.")
            case .deleted?, nil: throw MessageError.notFound
            }
            conversation = .direct(sender, recipient)
        case .group(let raw):
            guard let group = EntityID(raw), groups.group(group.rawValue) != nil else { throw MessageError.notFound }
            guard groups.isMember(group.rawValue, sender.rawValue) else { throw MessageError.forbidden(reason: "Only the group's members post in it.") }
            for mention in mentions where !groups.isMember(group.rawValue, mention) {
                throw MessageError.invalid(field: "at_member_ids", reason: "at_member_ids may name members of the group only.")
            }
            conversation = .group(group)
        }
        let seal = try members.seal(for: sender.rawValue)
        let groups = groups
        return try await sequencer.run(conversation, idempotency: idempotency) { seq, now in
            // Membership may have changed while the send queued.
            if case .group(let group) = target, !groups.isMember(group, sender.rawValue) {
                throw MessageError.forbidden(reason: "Only the group's members post in it.")
            }
            var random = SystemRandomNumberGenerator()
            return try MessageDecisions.send(
                id: EntityID.make(now: now, random: &random), conversation: conversation, seq: seq, sender: sender.rawValue, target: target,
                mentions: mentions, body: body, seal: seal, now: now, metadata: metadata, random: &random)
        }
    }

    /// Whether `memberID` takes part in `conversation`: one of the pair, or in the group now.
    public func isParticipant(_ memberID: String, _ conversation: ConversationID) -> Bool {
        switch conversation.kind {
        case .direct: conversation.pair.contains(memberID)
        case .group: conversation.groupID.map { groups.isMember($0, memberID) } ?? false
        }
    }

    /// The conversation for a participant: 404 when it does not exist (or names a deleted
    /// group), 403 when the caller does not take part in it.
    func requireParticipant(_ memberID: String, _ raw: String) throws(MessageError) -> ConversationID {
        guard let conversation = ConversationID(raw) else { throw .notFound }
        if let group = conversation.groupID, groups.group(group) == nil { throw .notFound }
        guard isParticipant(memberID, conversation) else {
            // A direct conversation of others is not shown to exist.
            if conversation.kind == .direct { throw .notFound }
            throw .forbidden(reason: "Only the group's members read its messages.")
        }
        return conversation
    }

    /// The conversations `memberID` takes part in (direct ones, and their groups').
    func conversationIDs(of memberID: String) -> [String] {
        let direct = messages.read { model, _ in Array(model.directs[memberID] ?? []) }
        let groupIDs = groups.groups.read { model, _ in Array(model.memberGroups[memberID] ?? []) }
        return direct + groupIDs.map { "g.\($0)" }
    }

    /// Opens recorded events into messages (bodies under each sender's key).
    func views(_ events: [RecordedEvent]) -> [MessageView] {
        events.compactMap { event in
            guard event.type == MessageSent.type, let sent = try? MessageSent(payload: event.payload) else { return nil }
            return MessageDecisions.view(event, sent, seal: try? members.seal(for: sent.senderID))
        }
    }
}
