import EventSourcing
import Testing

@Suite struct EnvelopeCodecTests {
    static let metadataCases: [EventMetadata] = [
        .none,
        EventMetadata(correlationID: "req-1"),
        EventMetadata(actor: "admin"),
        EventMetadata(correlationID: "c", causationID: "d", actor: "member-9", idempotencyKey: "k-1"),
    ]

    @Test(arguments: metadataCases)
    func bodyRoundTrips(metadata: EventMetadata) throws {
        let event = NewEvent(
            type: "member.registered.v1", payload: Array("{\"a\":1}".utf8),
            timestamp: Timestamp(millisecondsSince1970: 1_790_000_000_000), metadata: metadata)
        let body = EnvelopeCodec.encodeBody(event, stream: "member-7")
        let decoded = try body.withUnsafeBytes { try EnvelopeCodec.decodeBody($0, position: 12, version: 3) }
        #expect(decoded == RecordedEvent(
            position: 12, stream: "member-7", version: 3, type: event.type, payload: event.payload,
            timestamp: event.timestamp, metadata: metadata))
    }

    @Test func garbageIsRefusedNotTrapped() {
        for garbage: [UInt8] in [[], [0xFF], [3, 65, 66], [1, 65, 1, 66, 0, 0xF0]] {
            #expect(throws: (any Error).self) {
                try garbage.withUnsafeBytes { try EnvelopeCodec.decodeBody($0, position: 1, version: 1) }
            }
        }
    }

    @Test func streamNamesAreValidated() {
        #expect(StreamID(String("")) == nil)
        #expect(StreamID(String("a\nb")) == nil)
        #expect(StreamID(String(repeating: "x", count: 256)) == nil)
        #expect(StreamID(String("member-1-2"))?.category == "member")
        #expect(StreamID(String("plain"))?.category == "plain")
    }

    @Test func expectedVersionRules() {
        #expect(ExpectedVersion.any.isSatisfied(by: 0) && ExpectedVersion.any.isSatisfied(by: 5))
        #expect(ExpectedVersion.noStream.isSatisfied(by: 0) && !ExpectedVersion.noStream.isSatisfied(by: 1))
        #expect(!ExpectedVersion.streamExists.isSatisfied(by: 0) && ExpectedVersion.streamExists.isSatisfied(by: 2))
        #expect(ExpectedVersion.exactly(2).isSatisfied(by: 2) && !ExpectedVersion.exactly(2).isSatisfied(by: 3))
    }
}
