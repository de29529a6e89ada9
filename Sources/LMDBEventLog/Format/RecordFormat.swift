import EventSourcing

/// The byte layout of one stored record (the value under a position in `log`).
///
///     u8      format version (1)
///     varint  dictionary id (0: compressed without a dictionary)
///     varint  stream version
///     varint  distance back to the stream's previous event (position - previous position; 0 for version 1)
///     ...     zstd frame, magicless, of the envelope body (`EnvelopeCodec`)
///
/// The back-pointer chains a stream's records, so the stream index needs only one
/// entry per stream. The Merkle leaf of a record is the SHA-256 of 0x00 followed by
/// these bytes.
enum RecordFormat {
    static let version: UInt8 = 1

    /// The parsed header and where the frame starts.
    struct Header {
        var dictionaryID: UInt32
        var streamVersion: StreamVersion
        /// Position minus the stream's previous event's position (0 for the first event).
        var previousDistance: UInt64
        var frameOffset: Int
    }

    /// The header of a record (everything before the frame), built without allocating: the
    /// writer copies it and the frame straight into the page LMDB reserves. At most 31 bytes.
    struct HeaderBytes {
        private(set) var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        private(set) var count = 0

        init(dictionaryID: UInt32, streamVersion: StreamVersion, previousDistance: UInt64) {
            append(RecordFormat.version)
            appendVarint(UInt64(dictionaryID))
            appendVarint(streamVersion)
            appendVarint(previousDistance)
        }

        private mutating func append(_ byte: UInt8) {
            withUnsafeMutableBytes(of: &bytes) { $0[count] = byte }
            count += 1
        }

        private mutating func appendVarint(_ value: UInt64) {
            var v = value
            while v >= 0x80 {
                append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            append(UInt8(v))
        }

        /// Copies the header to the start of `out`.
        func write(to out: UnsafeMutableRawBufferPointer) {
            withUnsafeBytes(of: bytes) { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
    }

    /// Parses the header of `record`.
    static func header(of record: UnsafeRawBufferPointer) throws -> Header {
        guard record.count >= 4, record[0] == version else {
            throw EventLogError(.corrupt, "unknown record format \(record.first ?? 0)")
        }
        var reader = BinaryReader(UnsafeRawBufferPointer(rebasing: record[1...]))
        let dictionary = try reader.readUInt64()
        guard dictionary <= UInt64(UInt32.max) else { throw EventLogError(.corrupt, "dictionary id out of range") }
        let streamVersion = try reader.readUInt64()
        let previous = try reader.readUInt64()
        guard (streamVersion == 1) == (previous == 0) else {
            throw EventLogError(.corrupt, "back-pointer \(previous) does not fit version \(streamVersion)")
        }
        return Header(
            dictionaryID: UInt32(dictionary), streamVersion: streamVersion, previousDistance: previous,
            frameOffset: 1 + reader.offset)
    }
}
