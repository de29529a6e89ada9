public import HashTreeCollections
public import EventSourcing

/// Every conversation's last seq and the log position of each of its messages, each
/// member's direct conversations, and each member's read marks: what the sequencer
/// decides seq on, what `GET /v1/conversations` lists, and the per-member index replay
/// reads instead of scanning the log (a member's conversations, then each one's
/// positions after the cursor, merged in log order).
///
/// Group membership is not kept here: the groups read model says who is in a group.
public struct MessagesReadModel: Projection {
    public static let name = "messages"
    public static let formatVersion: UInt32 = 1

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

    private mutating func raise(_ memberID: String, _ conversationID: String, to seq: UInt64) {
        guard seq > mark(memberID, conversationID) else { return }
        marks[memberID, default: [:]][conversationID] = seq
    }

    /// Up to `limit` log positions of messages in `conversationIDs` after `cursor`, in log order.
    public func positions(in conversationIDs: some Sequence<String>, after cursor: LogPosition, limit: Int) -> [LogPosition] {
        var found: [LogPosition] = []
        for id in conversationIDs {
            guard let positions = conversations[id]?.positions else { continue }
            var low = 0
            var high = positions.count
            while low < high {
                let middle = (low + high) / 2
                if positions[middle] <= cursor { low = middle + 1 } else { high = middle }
            }
            found += positions[low..<min(positions.count, low + limit)]
        }
        found.sort()
        return Array(found.prefix(limit))
    }
}
