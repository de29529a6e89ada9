public import HashTreeCollections
public import EventSourcing
import Groups

/// Every conversation's last seq and the log position of each of its messages, each
/// member's direct conversations, each member's tenures in groups, and each member's read
/// marks: what the sequencer decides seq on, what `GET /v1/conversations` lists, and the
/// per-member index replay reads instead of scanning the log (a member's conversations,
/// then each one's positions after the cursor, merged in log order).
///
/// A member receives a group's messages committed while they were in it (their
/// `GroupTenure`): not those from before they joined, and still those from before they
/// left. Joining reads the group's conversation up to its last seq, so a newcomer starts
/// with nothing unread. Who may post now is the groups read model's to say.
public struct MessagesReadModel: Projection {
    public static let name = "messages"
    public static let formatVersion: UInt32 = 2

    /// One conversation: the log position of each message, by seq (`positions[seq - 1]`).
    public struct Conversation: Hashable, Sendable {
        public var positions: [LogPosition] = []
        public var lastSeq: UInt64 { UInt64(positions.count) }
        public var lastPosition: LogPosition { positions.last ?? 0 }
    }

    public internal(set) var conversations: TreeDictionary<String, Conversation> = [:]
    /// Member -> their direct conversations.
    public internal(set) var directs: TreeDictionary<String, TreeSet<String>> = [:]
    /// Member -> conversation -> the seq they have read up to.
    public internal(set) var marks: TreeDictionary<String, TreeDictionary<String, UInt64>> = [:]
    /// Member -> group conversation -> the stretches of the log they were in the group.
    public internal(set) var tenures: TreeDictionary<String, TreeDictionary<String, GroupTenure>> = [:]
    /// Group conversation -> the position of the group's deletion (every tenure ends there).
    public internal(set) var groupEnds: TreeDictionary<String, LogPosition> = [:]

    public init() {}

    /// The seq `memberID` has read `conversationID` up to.
    public func mark(_ memberID: String, _ conversationID: String) -> UInt64 { marks[memberID]?[conversationID] ?? 0 }

    /// Unread messages of `conversationID` for `memberID`: last seq minus the read mark.
    public func unread(_ memberID: String, _ conversationID: String) -> UInt64 {
        let last = conversations[conversationID]?.lastSeq ?? 0
        let mark = mark(memberID, conversationID)
        return last > mark ? last - mark : 0
    }

    public mutating func apply(_ event: RecordedEvent) throws {
        if event.stream.isIn(.group) {
            guard let group = EntityID(event.stream.id), let decoded = try GroupEvent(event) else { return }
            applyGroup(decoded, ConversationID.group(group).rawValue, at: event.position)
            return
        }
        guard let decoded = try MessageEvent(event) else { return }
        let streamID = String(event.stream.id)
        switch decoded {
        case .sent(let sent):
            guard event.stream.isIn(.conversation) else { return }
            conversations[streamID, default: Conversation()].positions.append(event.position)
            if !sent.toMemberID.isEmpty {
                directs[sent.senderID, default: []].insert(streamID)
                directs[sent.toMemberID, default: []].insert(streamID)
            }
            // Own messages are never unread: sending reads the conversation up to it.
            raise(sent.senderID, streamID, to: event.version)
        case .read(let read):
            guard event.stream.isIn(.readMarks) else { return }
            raise(streamID, read.conversationID, to: read.upToSeq)
        case .broadcast:
            return  // pushed to the sockets of the moment; nothing to keep
        }
    }

    /// Opens and closes tenures; a join reads the conversation up to its last seq.
    private mutating func applyGroup(_ event: GroupEvent, _ conversationID: String, at position: LogPosition) {
        guard groupEnds[conversationID] == nil else { return }
        switch event {
        case .created(let created): joined(created.ownerID, conversationID, at: position)
        case .memberJoined(let joined): self.joined(joined.memberID, conversationID, at: position)
        case .memberLeft(let left): tenures[left.memberID]?[conversationID]?.leave(at: position)
        case .deleted: groupEnds[conversationID] = position
        case .updated, .roleChanged, .ownerChanged: return
        }
    }

    private mutating func joined(_ memberID: String, _ conversationID: String, at position: LogPosition) {
        if let tenure = tenures[memberID]?[conversationID] {
            guard !tenure.isOpen else { return }
            tenures[memberID]?[conversationID]?.rejoin(at: position, lastMessage: conversations[conversationID]?.lastPosition ?? 0)
        } else {
            tenures[memberID, default: [:]][conversationID] = GroupTenure(joined: position)
        }
        raise(memberID, conversationID, to: conversations[conversationID]?.lastSeq ?? 0)
    }

    private mutating func raise(_ memberID: String, _ conversationID: String, to seq: UInt64) {
        guard seq > mark(memberID, conversationID) else { return }
        marks[memberID, default: [:]][conversationID] = seq
    }

    /// Up to `limit` log positions after `cursor`, in log order, of the messages
    /// `memberID` receives: every message of their direct conversations, and the messages
    /// of each group committed while they were in it.
    public func positions(of memberID: String, after cursor: LogPosition, limit: Int) -> [LogPosition] {
        Self.first(limit, of: candidatePositions(of: memberID, after: cursor, limit: limit))
    }

    /// The first `limit` of `candidates` in log order (done outside the model's lock: the
    /// candidates are up to `limit` per conversation of the member).
    public static func first(_ limit: Int, of candidates: [LogPosition]) -> [LogPosition] {
        Array(candidates.sorted().prefix(limit))
    }

    /// What `positions(of:after:limit:)` picks from, unsorted: up to `limit` positions after
    /// `cursor` from each of the member's conversations (each a binary search and a copy).
    public func candidatePositions(of memberID: String, after cursor: LogPosition, limit: Int) -> [LogPosition] {
        var found: [LogPosition] = []
        for id in directs[memberID] ?? [] {
            found += positions(in: id, after: cursor, before: .max, limit: limit)
        }
        for (id, tenure) in tenures[memberID] ?? [:] {
            let end = groupEnds[id] ?? .max
            for stretch in tenure.stretches where stretch.left > cursor {
                found += positions(in: id, after: max(cursor, stretch.joined), before: min(stretch.left, end), limit: limit)
            }
        }
        return found
    }

    /// Up to `limit` positions of `conversationID`'s messages strictly between `after` and `before`.
    private func positions(in conversationID: String, after: LogPosition, before: LogPosition, limit: Int) -> ArraySlice<LogPosition> {
        guard let positions = conversations[conversationID]?.positions else { return [] }
        var low = 0
        var high = positions.count
        while low < high {
            let middle = (low + high) / 2
            if positions[middle] <= after { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < positions.count, end - low < limit, positions[end] < before { end += 1 }
        return positions[low..<end]
    }
}
