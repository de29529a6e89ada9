import Crypto

/// A SHA-256 hash in the RFC 6962 Merkle tree over the log's records.
///
/// Leaf hash: `SHA-256(0x00 || record bytes)`. Node hash: `SHA-256(0x01 || left || right)`.
/// The hash of the empty tree is `SHA-256()` (of no bytes).
public struct MerkleHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes, inline (a hash never allocates). Four words rather than `SIMD32<UInt8>`:
    /// SIMD32 is 32-byte aligned, more than Swift's task allocator guarantees for values
    /// held across `await`, and that corrupted the heap.
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Wraps 32 bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        Swift.withUnsafeMutableBytes(of: &storage) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
    }

    init(digest: SHA256.Digest) {
        digest.withUnsafeBytes { raw in
            Swift.withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) }
        }
    }

    public static func == (lhs: MerkleHash, rhs: MerkleHash) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
            && lhs.storage.2 == rhs.storage.2 && lhs.storage.3 == rhs.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
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
    public var hex: String { (bytes as [UInt8]).hexString }

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
