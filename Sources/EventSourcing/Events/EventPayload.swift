/// One event type, declared once: its stable type string, its payload encoding, its
/// JSON view and how older versions of it read as this one.
///
/// The type string is the storage format's name for the event (`member.registered.v2`),
/// never derived from a Swift name; a new payload layout is a new `.vN` type whose
/// `upcasters` read each older layout into the new one, so old records decode for ever.
///
/// ```swift
/// public struct CodeDestroyed: EventPayload {
///     public static let type = "verification.code-destroyed.v1"
///     public init(from reader: inout BinaryReader) throws {}
///     public func encode(to writer: inout BinaryWriter) {}
///     public var json: JSONValue { [:] }
///     public static let example = CodeDestroyed()
/// }
/// ```
public protocol EventPayload: Hashable, Sendable {
    /// The current type string of this event.
    static var type: String { get }
    /// Older type strings of this event, each with a reader that upcasts its payload.
    static var upcasters: [Upcaster<Self>] { get }
    /// Reads a payload written by `encode(to:)` (throws on malformed input, never traps).
    init(from reader: inout BinaryReader) throws
    /// Writes the payload (field order fixed by `type`).
    func encode(to writer: inout BinaryWriter)
    /// How audits and admin routes show the event: no secret, hashes in hex, sealed
    /// personal data by size only.
    var json: JSONValue { get }
    /// A representative value (tests round-trip it; documentation shows it).
    static var example: Self { get }
}

extension EventPayload {
    public static var upcasters: [Upcaster<Self>] { [] }

    /// The encoded payload bytes.
    public var payload: [UInt8] {
        var writer = BinaryWriter()
        encode(to: &writer)
        return writer.bytes
    }

    /// This event as a `NewEvent` at `time`.
    public func newEvent(at time: Timestamp, metadata: EventMetadata = .none) -> NewEvent {
        NewEvent(type: Self.type, payload: payload, timestamp: time, metadata: metadata)
    }

    /// Decodes a payload of the current type, refusing trailing bytes.
    public init(payload: [UInt8]) throws {
        self = try BinaryReader.read(payload) { reader in
            let value = try Self(from: &reader)
            guard reader.isAtEnd else { throw BinaryReader.Error(description: "\(Self.type): \(reader.remaining) bytes left over") }
            return value
        }
    }
}

/// Reads an older version's payload as the current version of an event.
public struct Upcaster<Current: EventPayload>: Sendable {
    /// The older type string (`member.registered.v1`).
    public let type: String
    public let read: @Sendable (inout BinaryReader) throws -> Current

    public init(from type: String, _ read: @escaping @Sendable (inout BinaryReader) throws -> Current) {
        self.type = type
        self.read = read
    }
}
