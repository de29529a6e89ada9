/// A domain's events: every type it declares, decoded into the domain's event enum.
///
/// Built once from a list of cases (`.case(CodeIssued.self, VerificationEvent.codeIssued)`):
/// that list is the only place a type string is tied to the enum. A domain also names the
/// stream categories it owns: an event in one of them whose type the codec does not know
/// is an error (`EventDecodingError`), never silently skipped; events of other domains'
/// categories decode to nil.
///
/// ```swift
/// static let codec = EventCodec<VerificationEvent>(categories: [.verification, .destination], [
///     .case(CodeIssued.self, VerificationEvent.codeIssued),
///     .case(CodeChecked.self, VerificationEvent.codeChecked),
/// ])
/// if let event = try VerificationEvent.codec.decode(recorded) { ... }
/// ```
public struct EventCodec<Event: Sendable>: Sendable {
    /// One event type of the domain and the enum case that carries it.
    public struct Case: Sendable {
        let types: [String]
        let decode: @Sendable (_ type: String, _ payload: [UInt8]) throws -> Event
        let json: @Sendable (_ type: String, _ payload: [UInt8]) throws -> JSONValue
        let roundTrip: @Sendable () throws -> Bool
        /// The current type string.
        public let type: String

        /// `Payload`'s current and older types, read into the domain's enum by `wrap`.
        public static func `case`<Payload: EventPayload>(_ payload: Payload.Type, _ wrap: @escaping @Sendable (Payload) -> Event) -> Case {
            let decode: @Sendable (String, [UInt8]) throws -> Payload = { type, bytes in
                if type == Payload.type { return try Payload(payload: bytes) }
                guard let upcaster = Payload.upcasters.first(where: { $0.type == type }) else {
                    throw EventDecodingError(type: type, reason: "not a version of \(Payload.type)")
                }
                return try BinaryReader.read(bytes) { reader in
                    let value = try upcaster.read(&reader)
                    guard reader.isAtEnd else { throw BinaryReader.Error(description: "\(type): bytes left over") }
                    return value
                }
            }
            return Case(
                types: [Payload.type] + Payload.upcasters.map(\.type),
                decode: { type, bytes in wrap(try decode(type, bytes)) },
                json: { type, bytes in try decode(type, bytes).json },
                roundTrip: { try Payload(payload: Payload.example.payload) == Payload.example },
                type: Payload.type)
        }
    }

    /// The stream categories this domain owns.
    public let categories: Set<String>
    private let cases: [String: Case]
    /// The current type string of every event of the domain.
    public let types: [String]
    /// The same categories as bytes, and the distinct starts of the types the codec
    /// knows (current and older: up to their first `.`, or whole): every read model sees
    /// every event, and most are another domain's, so a miss is told by comparing a few
    /// bytes instead of hashing the type and the category (two hashes per event and model
    /// were a third of a replay).
    private let categoryNames: [[UInt8]]
    private let typePrefixes: [[UInt8]]

    public init(categories: [StreamCategory], _ cases: [Case]) {
        self.categories = Set(categories.map(\.name))
        categoryNames = categories.map { Array($0.name.utf8) }
        var table: [String: Case] = [:]
        for entry in cases {
            for type in entry.types { table[type] = entry }
        }
        self.cases = table
        types = cases.map(\.type)
        var prefixes: [[UInt8]] = []
        for type in table.keys.sorted() {
            let bytes = Array(type.utf8)
            let prefix = Array(bytes[..<(bytes.firstIndex(of: UInt8(ascii: ".")).map { $0 + 1 } ?? bytes.count)])
            if !prefixes.contains(prefix) { prefixes.append(prefix) }
        }
        typePrefixes = prefixes
    }

    /// Whether `type` may be one of the codec's: it starts like one of theirs.
    private func mayKnow(_ type: String) -> Bool {
        type.utf8.withContiguousStorageIfAvailable { bytes in
            typePrefixes.contains { Self.bytes(bytes, startWith: $0) }
        } ?? true
    }

    /// Whether `stream` is in one of the domain's categories (the part of its name before the first `-`).
    private func owns(_ stream: StreamID) -> Bool {
        stream.rawValue.utf8.withContiguousStorageIfAvailable { name in
            categoryNames.contains { category in
                Self.bytes(name, startWith: category) && (name.count == category.count || name[category.count] == UInt8(ascii: "-"))
            }
        } ?? categories.contains(String(stream.category))
    }

    private static func bytes(_ bytes: UnsafeBufferPointer<UInt8>, startWith prefix: [UInt8]) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        for index in prefix.indices where bytes[index] != prefix[index] { return false }
        return true
    }

    /// Whether `type` (current or older) is one of this domain's.
    public func knows(_ type: String) -> Bool { mayKnow(type) && cases[type] != nil }

    /// The domain's event, or nil when the event belongs to another domain. Throws when it
    /// is this domain's type (or in this domain's streams) but does not decode.
    public func decode(_ event: RecordedEvent) throws -> Event? {
        guard mayKnow(event.type), let entry = cases[event.type] else {
            guard !owns(event.stream) else {
                throw EventDecodingError(type: event.type, reason: "unknown type in stream \(event.stream) at position \(event.position)")
            }
            return nil
        }
        do {
            return try entry.decode(event.type, event.payload)
        } catch let error as EventDecodingError {
            throw error
        } catch {
            throw EventDecodingError(type: event.type, reason: "position \(event.position): \(error)")
        }
    }

    /// The JSON view of the event, or nil when it is not this domain's.
    public func json(_ event: RecordedEvent) throws -> JSONValue? {
        guard mayKnow(event.type), let entry = cases[event.type] else { return nil }
        do {
            return try entry.json(event.type, event.payload)
        } catch let error as EventDecodingError {
            throw error
        } catch {
            throw EventDecodingError(type: event.type, reason: "position \(event.position): \(error)")
        }
    }

    /// Encodes and decodes each type's example; the types whose example does not survive.
    public func typesFailingRoundTrip() -> [String] {
        Set(cases.values.map(\.type)).sorted().filter { type in
            guard let entry = cases[type] else { return true }
            return (try? entry.roundTrip()) != true
        }
    }
}

/// An event of a domain that does not decode: a corrupt record, or a log written by a
/// newer version of the server.
public struct EventDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public let type: String
    public let reason: String

    public init(type: String, reason: String) {
        self.type = type
        self.reason = reason
    }

    public var description: String { "cannot decode \(type): \(reason)" }
}

/// What the registry needs of a domain's codec, whatever its event type.
public protocol EventDecoding: Sendable {
    /// The stream categories the domain owns.
    var categories: Set<String> { get }
    /// The current type strings of its events.
    var types: [String] { get }
    func knows(_ type: String) -> Bool
    /// The event's JSON view; nil when it is not this domain's.
    func json(_ event: RecordedEvent) throws -> JSONValue?
    func typesFailingRoundTrip() -> [String]
}

extension EventCodec: EventDecoding {}
