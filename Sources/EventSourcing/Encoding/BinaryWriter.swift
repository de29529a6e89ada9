/// Writes the compact binary form used for envelopes, snapshots and event payloads.
///
/// Unsigned integers are LEB128 varints; signed ones are zigzag varints; strings and
/// byte strings are a varint length followed by the bytes. The same values always
/// give the same bytes, so a digest of the output is a digest of the value.
public struct BinaryWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func write(_ value: Int) { write(Int64(value)) }

    public mutating func write(_ value: Int64) {
        write(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// One raw byte.
    public mutating func write(byte: UInt8) { bytes.append(byte) }

    public mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            write(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func write(_ value: [UInt8]) {
        write(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Writes a presence byte, then the value when present.
    public mutating func write(_ value: String?) {
        write(value != nil)
        if let value { write(value) }
    }

    public mutating func write(_ value: Timestamp) { write(value.millisecondsSince1970) }

    /// Writes a presence byte, then the time when present.
    public mutating func write(_ value: Timestamp?) {
        write(value != nil)
        if let value { write(value) }
    }

    /// Appends bytes with no length prefix (the last field of a record).
    public mutating func writeRaw(_ value: [UInt8]) { bytes.append(contentsOf: value) }
}
