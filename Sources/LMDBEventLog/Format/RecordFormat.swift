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

    /// The record for a compressed body `frame`.
    static func record(
        dictionaryID: UInt32, streamVersion: StreamVersion, previousDistance: UInt64, frame: [UInt8]
    ) -> [UInt8] {
        var writer = BinaryWriter(capacity: 16 + frame.count)
        writer.writeRaw([version])
        writer.write(UInt64(dictionaryID))
        writer.write(streamVersion)
        writer.write(previousDistance)
        writer.writeRaw(frame)
        return writer.bytes
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
