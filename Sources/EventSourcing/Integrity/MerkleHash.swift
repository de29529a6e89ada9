import Crypto

/// A SHA-256 hash in the RFC 6962 Merkle tree over the log's records.
///
/// Leaf hash: `SHA-256(0x00 || record bytes)`. Node hash: `SHA-256(0x01 || left || right)`.
/// The hash of the empty tree is `SHA-256()` (of no bytes).
public struct MerkleHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes, inline (a hash never allocates).
    private var storage: SIMD32<UInt8>

    /// Wraps 32 bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        storage = SIMD32()
        for (index, byte) in bytes.enumerated() { storage[index] = byte }
    }

    init(digest: SHA256.Digest) {
        storage = SIMD32()
        digest.withUnsafeBytes { raw in
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) }
        }
    }

    /// The 32 hash bytes.
    public var bytes: [UInt8] { Swift.withUnsafeBytes(of: storage) { Array($0) } }

    /// Calls `body` with the 32 bytes, without copying them to the heap.
    public func withUnsafeBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    /// Parses 64 hex digits.
    public init?(hex: String) {
        var out = [UInt8]()
        out.reserveCapacity(32)
        var iterator = hex.utf8.makeIterator()
        while let hi = iterator.next() {
            guard let lo = iterator.next(), let h = Self.nibble(hi), let l = Self.nibble(lo) else { return nil }
            out.append(h << 4 | l)
        }
        self.init(bytes: out)
    }

    /// The hash of the empty tree.
    public static let empty = MerkleHash(digest: SHA256.hash(data: [UInt8]()))

    /// `SHA-256(0x00 || record)`.
    public static func leaf(_ record: UnsafeRawBufferPointer) -> MerkleHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: UInt8(0x00)) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: record)
        return MerkleHash(digest: hasher.finalize())
    }

    /// `SHA-256(0x00 || record)`.
    public static func leaf(_ record: [UInt8]) -> MerkleHash {
        record.withUnsafeBytes { leaf($0) }
    }

    /// `SHA-256(0x01 || left || right)`.
    public static func node(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: UInt8(0x01)) { hasher.update(bufferPointer: $0) }
        left.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        right.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return MerkleHash(digest: hasher.finalize())
    }

    /// Lower-case hex.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes as [UInt8] {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
