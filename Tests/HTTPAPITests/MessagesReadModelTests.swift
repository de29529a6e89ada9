import EventSourcing
import Groups
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

    func groupEvent(_ payload: some EventPayload, version: UInt64, position: UInt64) -> RecordedEvent {
        RecordedEvent(
            position: position, stream: GroupStreams.group(g), version: version, type: type(of: payload).type, payload: payload.payload,
            timestamp: Timestamp(millisecondsSince1970: Int64(position)), metadata: .none)
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
        try model.apply(groupEvent(GroupCreated(name: "g", introduction: "", avatarURL: "", ownerID: a.rawValue), version: 1, position: 5))
        try model.apply(groupEvent(GroupMemberJoined(memberID: b.rawValue), version: 2, position: 6))
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

        #expect(model.positions(of: a.rawValue, after: 0, limit: 10) == [10, 11, 12, 13])
        #expect(model.positions(of: b.rawValue, after: 10, limit: 2) == [11, 12])
        #expect(model.positions(of: a.rawValue, after: 13, limit: 10).isEmpty)

        let restored = try MessagesReadModel(snapshot: model.snapshot())
        #expect(restored.digest == model.digest && restored.unread(a.rawValue, direct.rawValue) == 0)
    }

    /// A member receives a group's messages committed while they were in it: none from
    /// before they joined (and nothing of it unread), still those from before they left,
    /// none while they were out, and none after the group's deletion.
    @Test func groupMessagesReachAMemberForTheStretchesTheyWereIn() throws {
        let c = EntityID("01KB7Y3Q0000000000000000AC")!
        let group = ConversationID.group(g)
        var model = MessagesReadModel()
        try model.apply(groupEvent(GroupCreated(name: "g", introduction: "", avatarURL: "", ownerID: a.rawValue), version: 1, position: 1))
        try model.apply(sent(group, version: 1, position: 2, from: a, to: nil))
        try model.apply(groupEvent(GroupMemberJoined(memberID: c.rawValue), version: 2, position: 3))
        #expect(model.unread(c.rawValue, group.rawValue) == 0, "a newcomer starts with nothing unread")
        try model.apply(sent(group, version: 2, position: 4, from: a, to: nil))
        #expect(model.unread(c.rawValue, group.rawValue) == 1)
        try model.apply(groupEvent(GroupMemberLeft(memberID: c.rawValue, actor: c.rawValue, reason: "left"), version: 3, position: 5))
        try model.apply(sent(group, version: 3, position: 6, from: a, to: nil))
        try model.apply(groupEvent(GroupMemberJoined(memberID: c.rawValue), version: 4, position: 7))
        #expect(model.unread(c.rawValue, group.rawValue) == 0, "what was said while out is not unread")
        try model.apply(sent(group, version: 4, position: 8, from: a, to: nil))
        try model.apply(groupEvent(GroupDeleted(actor: a.rawValue, reason: "owner"), version: 5, position: 9))
        try model.apply(groupEvent(GroupMemberJoined(memberID: b.rawValue), version: 6, position: 10))

        #expect(model.positions(of: c.rawValue, after: 0, limit: 10) == [4, 8])
        #expect(model.positions(of: c.rawValue, after: 4, limit: 10) == [8])
        #expect(model.positions(of: c.rawValue, after: 0, limit: 1) == [4])
        #expect(model.positions(of: a.rawValue, after: 0, limit: 10) == [2, 4, 6, 8])
        #expect(model.positions(of: b.rawValue, after: 0, limit: 10).isEmpty, "nobody joins a deleted group")
        #expect(model.tenures[c.rawValue]?[group.rawValue]?.stretches.map { [$0.joined, $0.left] } == [[3, 5], [7, .max]])

        // Leaving and rejoining with nothing said meanwhile reopens the stretch: a loop adds none.
        var quiet = MessagesReadModel()
        try quiet.apply(groupEvent(GroupCreated(name: "g", introduction: "", avatarURL: "", ownerID: a.rawValue), version: 1, position: 1))
        try quiet.apply(groupEvent(GroupMemberJoined(memberID: c.rawValue), version: 2, position: 2))
        for round in 0..<3 {
            let at = UInt64(3 + 2 * round)
            try quiet.apply(groupEvent(GroupMemberLeft(memberID: c.rawValue, actor: c.rawValue, reason: "left"), version: at, position: at))
            try quiet.apply(groupEvent(GroupMemberJoined(memberID: c.rawValue), version: at + 1, position: at + 1))
        }
        #expect(quiet.tenures[c.rawValue]?[group.rawValue]?.stretches.map { [$0.joined, $0.left] } == [[2, .max]])

        // Live frames follow the same tenures: a message at 4 is for a and c, at 6 for a only.
        #expect(GatewayDispatcher.members([a.rawValue, b.rawValue, c.rawValue], inAt: 4, of: group.rawValue, tenures: model.tenures) == [a.rawValue, c.rawValue])
        #expect(GatewayDispatcher.members([a.rawValue, c.rawValue], inAt: 6, of: group.rawValue, tenures: model.tenures) == [a.rawValue])
        #expect(GatewayDispatcher.members([c.rawValue], inAt: 2, of: group.rawValue, tenures: model.tenures).isEmpty, "said before c joined")

        let restored = try MessagesReadModel(snapshot: model.snapshot())
        #expect(restored.digest == model.digest && restored.tenures == model.tenures && restored.groupEnds == model.groupEnds)
        #expect(restored.positions(of: c.rawValue, after: 0, limit: 10) == [4, 8])
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
