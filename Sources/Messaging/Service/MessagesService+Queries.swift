public import EventSourcing
import Members
import HashTreeCollections

extension MessagesService {
    /// `GET /v1/conversations`: the caller's conversations with messages, newest activity
    /// first (the log position of the last message, then the id), each with its last
    /// message and unread count; at most `limit` of them, after `after` (the position and id
    /// of the previous page's last one), and where the next page starts (nil at the end).
    /// Only the page's last messages are read from the log.
    public func conversations(
        of memberID: String, after: (position: LogPosition, id: String)? = nil, limit: Int = .max
    ) async throws -> (items: [ConversationView], next: (position: LogPosition, id: String)?) {
        let ids = conversationIDs(of: memberID)
        let found = messages.read { model, _ in
            ids.compactMap { id -> (id: String, lastSeq: UInt64, position: LogPosition, unread: UInt64)? in
                guard let conversation = model.conversations[id], conversation.lastSeq > 0 else { return nil }
                return (id, conversation.lastSeq, conversation.lastPosition, model.unread(memberID, id))
            }
        }
        let newestFirst = { (a: (position: LogPosition, id: String), b: (position: LogPosition, id: String)) in
            a.position != b.position ? a.position > b.position : a.id > b.id
        }
        let ordered = found.filter { entry in after.map { newestFirst($0, (entry.position, entry.id)) } ?? true }
            .sorted { newestFirst(($0.position, $0.id), ($1.position, $1.id)) }
        let page = ordered.prefix(max(0, limit))
        var out: [ConversationView] = []
        for entry in page {
            guard let conversation = ConversationID(entry.id), let stream = MessageStreams.conversation(conversation) else { continue }
            let last = views(try await log.readStream(stream, from: entry.lastSeq, limit: 1)).first
            out.append(ConversationView(
                id: conversation, peerID: conversation.peer(of: memberID), groupID: conversation.groupID, lastMessage: last,
                unreadCount: entry.unread, lastSeq: entry.lastSeq))
        }
        let next = ordered.count > page.count ? page.last.map { ($0.position, $0.id) } : nil
        return (out, next)
    }

    /// `GET /v1/conversations/{id}/messages`: up to `limit` messages before `beforeSeq`
    /// (nil: from the newest), newest first, and the `before_seq` of the next page (nil at
    /// the first message). Participants only.
    /// The page's messages are read at the log positions the read model keeps by seq, so
    /// an old page of a long conversation costs its own size (reading the stream from a seq
    /// walks its chain back from the newest message).
    public func history(_ memberID: String, _ rawID: String, beforeSeq: UInt64?, limit: Int) async throws -> ([MessageView], UInt64?) {
        let conversation = try requireParticipant(memberID, rawID)
        let count = UInt64(max(1, limit))
        let (positions, start) = messages.read { model, _ -> ([LogPosition], UInt64) in
            guard let positions = model.conversations[conversation.rawValue]?.positions else { return ([], 0) }
            let lastSeq = UInt64(positions.count)
            let end = min(beforeSeq.map { $0 > 0 ? $0 - 1 : 0 } ?? lastSeq, lastSeq)
            guard end > 0 else { return ([], 0) }
            let start = end > count ? end - count + 1 : 1
            return (Array(positions[Int(start - 1)..<Int(end)]), start)
        }
        guard !positions.isEmpty else { return ([], nil) }
        return (try await messagesAt(positions).reversed(), start > 1 ? start : nil)
    }

    /// The messages at `positions` (in that order), read from the log in one go.
    func messagesAt(_ positions: some Sequence<LogPosition>) async throws -> [MessageView] {
        views(try await log.read(positions: Array(positions)))
    }

    /// `PUT /v1/conversations/{id}/read`: the caller has read up to `seq`.
    public func markRead(_ principal: Principal, _ rawID: String, upTo seq: UInt64, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil)
        async throws -> CommandResult<Void>
    {
        let conversation = try requireParticipant(principal.memberID, rawID)
        guard let stream = MessageStreams.readMarks(principal.memberID) else { throw MessageError.unauthenticated }
        let (lastSeq, mark) = messages.read { model, _ in
            (model.conversations[conversation.rawValue]?.lastSeq ?? 0, model.mark(principal.memberID, conversation.rawValue))
        }
        let event = try MessageDecisions.read(conversation, upTo: seq, lastSeq: lastSeq, currentMark: mark, now: clock(), metadata: metadata)
        guard event != nil || idempotency != nil else { return .done(()) }
        let appends = event.map { [StreamAppend(stream: stream, expected: .any, events: [$0])] } ?? []
        return try await log.appendCommand(AppendRequest(appends, idempotency: idempotency), answer: ())
    }

    /// The messages for `memberID` committed after log position `cursor` (sent and
    /// received: their direct conversations, and their groups' while they were in them),
    /// oldest first, at most `limit`, from the per-conversation index (no scan of the
    /// log); and whether more follow.
    public func sync(_ memberID: String, after cursor: LogPosition, limit: Int) async throws -> (items: [MessageView], hasMore: Bool) {
        // Collected under the model's lock (the projector's), sorted outside it.
        let candidates = messages.read { model, _ in model.candidatePositions(of: memberID, after: cursor, limit: limit + 1) }
        let positions = MessagesReadModel.first(limit + 1, of: candidates)
        return (try await messagesAt(positions.prefix(limit)), positions.count > limit)
    }
}
