import EventSourcing
import Members
import Messaging
import HashTreeCollections
import Testing

/// The messages read model and conversation ids without a server.
@Suite struct MessagesReadModelTests {
    let a = EntityID("01KB7Y3Q0000000000000000AA")!
    let b = EntityID("01KB7Y3Q0000000000000000AB")!
    let g = EntityID("01KB7Y3Q0000000000000000GG")!

    func sent(_ conversation: ConversationID, version: UInt64, position: UInt64, from sender: EntityID, to member: EntityID?) -> RecordedEvent {
        let payload = MessageSent(
            messageID: "m\(position)", senderID: sender.rawValue, toMemberID: member?.rawValue ?? "",
            toGroupID: member == nil ? conversation.groupID ?? "" : "", atMemberIDs: [], kind: "text", body: SealedPart(bytes: [2, 1, 2, 3]))
        return RecordedEvent(
            position: position, stream: MessageStreams.conversation(conversation)!, version: version, type: MessageSent.type,
            payload: payload.payload, timestamp: Timestamp(millisecondsSince1970: Int64(position)), metadata: .none)
    }

    @Test func aPairHasOneIdWhicheverSideWrites() {
        #expect(ConversationID.direct(a, b) == ConversationID.direct(b, a))
        #expect(ConversationID(ConversationID.direct(a, b).rawValue) == ConversationID.direct(a, b))
        #expect(ConversationID("d.\(b.rawValue).\(a.rawValue)") == nil)  // not in canonical order
        #expect(ConversationID("d.\(a.rawValue).\(a.rawValue)") == nil)
        #expect(ConversationID("g.\(g.rawValue)")?.groupID == g.rawValue)
        for bad in ["", "g.", "x.\(a.rawValue)", "g.\(g.rawValue).x", "d.\(a.rawValue)"] { #expect(ConversationID(bad) == nil, "\(bad)") }
        #expect(ConversationID.direct(a, b).peer(of: a.rawValue) == b.rawValue)
    }

    @Test func seqsMarksAndTheReplayIndexFollowTheLog() throws {
        let direct = ConversationID.direct(a, b)
        let group = ConversationID.group(g)
        var model = MessagesReadModel()
        try model.apply(sent(direct, version: 1, position: 10, from: a, to: b))
        try model.apply(sent(group, version: 1, position: 11, from: b, to: nil))
        try model.apply(sent(direct, version: 2, position: 12, from: b, to: a))
        try model.apply(sent(direct, version: 3, position: 13, from: b, to: a))
        #expect(model.conversations[direct.rawValue]?.lastSeq == 3 && model.conversations[direct.rawValue]?.positions == [10, 12, 13])
        // a sent seq 1 (read up to it), b sent 3: a has 2 unread, b none.
        #expect(model.unread(a.rawValue, direct.rawValue) == 2 && model.unread(b.rawValue, direct.rawValue) == 0)
        let read = ConversationRead(conversationID: direct.rawValue, upToSeq: 3)
        try model.apply(RecordedEvent(
            position: 14, stream: MessageStreams.readMarks(a.rawValue)!, version: 1, type: ConversationRead.type, payload: read.payload,
            timestamp: Timestamp(millisecondsSince1970: 14), metadata: .none))
        #expect(model.unread(a.rawValue, direct.rawValue) == 0)
        #expect(model.directs[a.rawValue] == [direct.rawValue] && model.directs[b.rawValue] == [direct.rawValue])

        #expect(model.positions(in: [direct.rawValue, group.rawValue], after: 0, limit: 10) == [10, 11, 12, 13])
        #expect(model.positions(in: [direct.rawValue, group.rawValue], after: 10, limit: 2) == [11, 12])
        #expect(model.positions(in: [direct.rawValue], after: 13, limit: 10).isEmpty)

        let restored = try MessagesReadModel(snapshot: model.snapshot())
        #expect(restored.digest == model.digest && restored.unread(a.rawValue, direct.rawValue) == 0)
    }

    @Test func aReadMarkAboveTheLastSeqIsRefusedAndALowerOneIsNothing() throws {
        let direct = ConversationID.direct(a, b)
        #expect(throws: MessageError.self) {
            try MessageDecisions.read(direct, upTo: 4, lastSeq: 3, currentMark: 0, now: Timestamp(millisecondsSince1970: 0), metadata: .none)
        }
        #expect(try MessageDecisions.read(direct, upTo: 2, lastSeq: 3, currentMark: 2, now: Timestamp(millisecondsSince1970: 0), metadata: .none) == nil)
        #expect(try MessageDecisions.read(direct, upTo: 3, lastSeq: 3, currentMark: 2, now: Timestamp(millisecondsSince1970: 0), metadata: .none) != nil)
    }

    @Test func aBodyRoundTripsThroughItsSealedBytes() throws {
        var body = MessageBody(kind: .video)
        (body.url, body.videoFormat, body.size, body.seconds, body.thumbWidth, body.thumbFormat) =
            ("https://e.com/v.mp4", .mkv, 10, 0, 320.5, .gif)
        #expect(try MessageBody(encoded: body.encoded) == body)
        #expect(throws: (any Error).self) { try MessageBody(encoded: [1, 2, 3]) }
    }
}
