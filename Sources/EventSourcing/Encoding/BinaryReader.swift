/// Reads what `BinaryWriter` wrote, refusing truncated or malformed input with
/// `BinaryReader.Error` instead of trapping.
public struct BinaryReader {
    /// Malformed or truncated input.
    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        public let description: String
        public init(description: String) { self.description = description }
    }

    private let bytes: UnsafeRawBufferPointer
    public private(set) var offset: Int

    /// A reader over `bytes`, which must outlive it.
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.offset = 0
    }

    /// Runs `body` with a reader over `bytes`.
    public static func read<T>(_ bytes: [UInt8], _ body: (inout BinaryReader) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { raw in
            var reader = BinaryReader(raw)
            return try body(&reader)
        }
    }

    public var isAtEnd: Bool { offset == bytes.count }
    public var remaining: Int { bytes.count - offset }

    public mutating func readUInt64() throws(Error) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw Error(description: "varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        throw Error(description: "truncated varint at \(offset)")
    }

    /// A count of elements that follow, each at least one byte: refused when more than
    /// `max` or more than the bytes left, so a corrupt count cannot start a long loop.
    public mutating func readCount(max: Int = .max) throws(Error) -> Int {
        let value = try readUInt64()
        guard value <= UInt64(Swift.min(max, remaining)) else { throw Error(description: "count \(value) out of range") }
        return Int(value)
    }

    public mutating func readInt64() throws(Error) -> Int64 {
        let raw = try readUInt64()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    public mutating func readInt() throws(Error) -> Int {
        let value = try readInt64()
        guard let int = Int(exactly: value) else { throw Error(description: "integer out of range") }
        return int
    }

    public mutating func readByte() throws(Error) -> UInt8 {
        guard offset < bytes.count else { throw Error(description: "truncated byte") }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readBool() throws(Error) -> Bool {
        guard offset < bytes.count else { throw Error(description: "truncated bool") }
        defer { offset += 1 }
        switch bytes[offset] {
        case 0: return false
        case 1: return true
        default: throw Error(description: "invalid bool at \(offset)")
        }
    }

    public mutating func readString() throws(Error) -> String {
        let slice = try readLengthPrefixed()
        return String(decoding: slice, as: UTF8.self)
    }

    public mutating func readOptionalString() throws(Error) -> String? {
        try readBool() ? try readString() : nil
    }

    public mutating func readBytes() throws(Error) -> [UInt8] {
        Array(try readLengthPrefixed())
    }

    public mutating func readTimestamp() throws(Error) -> Timestamp {
        Timestamp(millisecondsSince1970: try readInt64())
    }

    public mutating func readOptionalTimestamp() throws(Error) -> Timestamp? {
        try readBool() ? try readTimestamp() : nil
    }

    /// Everything left (the last field of a record).
    public mutating func readRemaining() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
    }

    /// A varint length, then that many bytes (valid as long as the input is).
    public mutating func readLengthPrefixed() throws(Error) -> UnsafeRawBufferPointer {
        let length = try readUInt64()
        guard length <= UInt64(remaining) else { throw Error(description: "length \(length) past the end") }
        let start = offset
        offset += Int(length)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
    }
}
