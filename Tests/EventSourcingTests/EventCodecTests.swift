import EventSourcing
import Testing

/// What a domain's codec decodes, ignores and refuses, told apart by the quick byte checks
/// in front of its tables: the type's start and the stream's category.
@Suite struct EventCodecTests {
    struct Noted: EventPayload {
        static let type = "note.written.v2"
        static let upcasters = [Upcaster<Noted>(from: "note.written.v1") { reader in Noted(text: try reader.readString() + " (v1)") }]
        var text: String
        init(text: String) { self.text = text }
        init(from reader: inout BinaryReader) throws { text = try reader.readString() }
        func encode(to writer: inout BinaryWriter) { writer.write(text) }
        var json: JSONValue { ["text": .string(text)] }
        static let example = Noted(text: "hello")
    }

    struct Plain: EventPayload {
        static let type = "plain"
        init() {}
        init(from reader: inout BinaryReader) throws {}
        func encode(to writer: inout BinaryWriter) {}
        var json: JSONValue { [:] }
        static let example = Plain()
    }

    enum NoteEvent: Sendable, Equatable {
        case noted(String)
        case plain
    }

    static let codec = EventCodec<NoteEvent>(categories: [StreamCategory("note")], [
        .case(Noted.self) { NoteEvent.noted($0.text) },
        .case(Plain.self) { _ in NoteEvent.plain },
    ])

    func event(_ stream: String, _ type: String, _ payload: [UInt8] = []) -> RecordedEvent {
        RecordedEvent(
            position: 1, stream: StreamID(stringLiteral: stream), version: 1, type: type, payload: payload,
            timestamp: Timestamp(millisecondsSince1970: 0), metadata: .none)
    }

    @Test func decodesItsTypesAndUpcastsOlderOnesInAnyStream() throws {
        #expect(try Self.codec.decode(event("note-1", Noted.type, Noted(text: "a").payload)) == .noted("a"))
        #expect(try Self.codec.decode(event("note-1", "note.written.v1", Noted(text: "a").payload)) == .noted("a (v1)"))
        #expect(try Self.codec.decode(event("elsewhere-1", Noted.type, Noted(text: "b").payload)) == .noted("b"))
        #expect(try Self.codec.decode(event("note-1", "plain")) == .plain)
        #expect(Self.codec.knows("note.written.v1") && Self.codec.knows("plain"))
    }

    @Test func otherDomainsEventsAreNilAndUnknownTypesInItsStreamsAreErrors() throws {
        // Another start, a shared start with another ending, a type that only begins like one.
        for type in ["member.registered.v2", "note.erased.v1", "notes.written.v2", "plainer", "pla"] {
            #expect(try Self.codec.decode(event("member-1", type)) == nil, "\(type)")
            #expect(!Self.codec.knows(type), "\(type)")
            #expect(throws: EventDecodingError.self, "\(type)") { try Self.codec.decode(event("note-1", type)) }
        }
        // The category is the part before the first hyphen, whole names included.
        #expect(throws: EventDecodingError.self) { try Self.codec.decode(event("note", "other.v1")) }
        #expect(throws: EventDecodingError.self) { try Self.codec.decode(event("note-a-b", "other.v1")) }
        for stream in ["notes-1", "not-1", "notee", "no", "x-note-1"] {
            #expect(try Self.codec.decode(event(stream, "other.v1")) == nil, "\(stream)")
        }
        #expect(throws: EventDecodingError.self) { try Self.codec.decode(event("note-1", Noted.type, [0xFF])) }
    }
}
