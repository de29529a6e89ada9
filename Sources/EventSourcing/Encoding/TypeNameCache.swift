/// Reuses one `String` per event type while decoding many events.
///
/// A log holds a few dozen event types and millions of events: looking the UTF-8
/// bytes up here saves an allocation per decoded event. Type names are the server's
/// own constants, so a simple FNV-1a hash is enough.
public struct TypeNameCache {
    private var buckets: [UInt64: [(bytes: [UInt8], name: String)]] = [:]
    private var count = 0
    /// Beyond this many distinct names, new ones are not cached (corrupt input cannot grow it forever).
    public static let capacity = 1024

    public init() {}

    /// The string for `bytes`, from the cache when seen before.
    public mutating func name(for bytes: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        if let bucket = buckets[hash] {
            for entry in bucket where entry.bytes.elementsEqual(bytes) { return entry.name }
        }
        let name = String(decoding: bytes, as: UTF8.self)
        if count < Self.capacity {
            buckets[hash, default: []].append((Array(bytes), name))
            count += 1
        }
        return name
    }
}
