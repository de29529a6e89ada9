public import EventSourcing

/// One part of a member's personal data (the profile, the contact details, the security
/// question, one address) sealed under the member's key, as events and the read model
/// hold it. Each part is sealed on its own, so an event re-seals only what it changes and
/// its size stays bounded by that part's text limits.
///
/// Bytes: a format byte, then an AES-256-GCM box (nonce ‖ ciphertext ‖ tag).
/// `part` (2): the plaintext is the part's own encoding, with the member id and the part's
/// name as associated data. `legacy` (1): written by `.v1` events, the plaintext is the
/// whole `PersonalData` of that time, with the member id as associated data; an opener
/// takes the part it needs from it.
public struct SealedPart: Hashable, Sendable {
    public enum Format: UInt8, Sendable {
        case legacy = 1
        case part = 2
    }

    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// A `.v1` event's whole sealed blob.
    public init(legacy blob: [UInt8]) { bytes = [Format.legacy.rawValue] + blob }

    public var format: Format? { bytes.first.flatMap(Format.init(rawValue:)) }

    /// The AES-GCM box after the format byte.
    public var box: ArraySlice<UInt8> { bytes.dropFirst() }

    /// An empty part (what a deleted member keeps).
    public static let erased = SealedPart(bytes: [])

    public var isErased: Bool { bytes.isEmpty }
}

extension BinaryWriter {
    public mutating func write(_ part: SealedPart) { write(part.bytes) }

    public mutating func write(_ part: SealedPart?) {
        write(part != nil)
        if let part { write(part.bytes) }
    }
}

extension BinaryReader {
    public mutating func readSealedPart() throws -> SealedPart { SealedPart(bytes: try readBytes()) }

    public mutating func readOptionalSealedPart() throws -> SealedPart? {
        try readBool() ? SealedPart(bytes: try readBytes()) : nil
    }
}

extension JSONValue {
    /// A sealed part in an event's JSON view: its size only.
    public static func sealed(_ part: SealedPart) -> JSONValue { ["sealed_bytes": .count(part.bytes.count)] }
}
