/// Big-endian byte forms of the integers used as LMDB keys and in stored values,
/// so that LMDB's byte order is numeric order.
enum BigEndian {
    static func bytes(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    static func bytes(_ value: UInt32) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    static func append(_ value: UInt64, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }

    static func append(_ value: UInt32, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }

    /// The UInt64 at `offset`, or nil when `raw` is too short.
    static func uint64(_ raw: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt64? {
        guard raw.count >= offset + 8 else { return nil }
        return UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The UInt32 at `offset`, or nil when `raw` is too short.
    static func uint32(_ raw: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt32? {
        guard raw.count >= offset + 4 else { return nil }
        return UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
