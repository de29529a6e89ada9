import EventSourcing
import Zstd

/// The body of a checkpoint file (and a value in the `checkpoints` database of older data directories): BE UInt32 format version ++ BE UInt64 position ++ magicless zstd frame of the snapshot.
enum CheckpointFormat {
    static func encode(_ checkpoint: Checkpoint) throws -> [UInt8] {
        var out = BigEndian.bytes(checkpoint.formatVersion)
        BigEndian.append(checkpoint.position, to: &out)
        try checkpoint.snapshot.withUnsafeBytes { try ZstdCompressor().compress($0, appendingTo: &out, dictionary: nil) }
        return out
    }

    static func decode(name: String, _ raw: UnsafeRawBufferPointer) throws -> Checkpoint {
        guard let format = BigEndian.uint32(raw), let position = BigEndian.uint64(raw, at: 4) else {
            throw EventLogError(.corrupt, "malformed checkpoint \(name)")
        }
        let snapshot = try ZstdDecompressor(maxContentSize: 1 << 31)
            .decompress(UnsafeRawBufferPointer(rebasing: raw[12...]), dictionary: nil)
        return Checkpoint(name: name, formatVersion: format, position: position, snapshot: snapshot)
    }
}
