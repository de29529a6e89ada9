import EventSourcing
import Synchronization
import Zstd

/// Turns envelope bodies into compressed frames and records back into events.
///
/// Compression runs on the appending task, before the writer thread sees the
/// event, so many appenders compress in parallel while one thread commits.
/// Compressors and decompressors are pooled (each is single-threaded).
final class RecordCodec: Sendable {
    let dictionaries: DictionaryRegistry
    private let compressors = Mutex<[ZstdCompressor]>([])
    private let decompressors = Mutex<[ZstdDecompressor]>([])

    init(dictionaries: DictionaryRegistry) { self.dictionaries = dictionaries }

    /// A compressed frame of `event`'s body in `stream`, with the dictionary it used.
    func compress(_ event: NewEvent, stream: StreamID) throws -> (dictionaryID: UInt32, frame: [UInt8]) {
        let body = EnvelopeCodec.encodeBody(event, stream: stream)
        let (id, dictionary) = dictionaries.current
        return try withCompressor { compressor in
            var frame = [UInt8]()
            try body.withUnsafeBytes { try compressor.compress($0, appendingTo: &frame, dictionary: dictionary) }
            return (id, frame)
        }
    }

    /// Decodes the record stored at `position`.
    func decode(_ record: UnsafeRawBufferPointer, position: LogPosition) throws -> RecordedEvent {
        let header = try RecordFormat.header(of: record)
        let body = try decompressBody(record, header: header)
        return try body.withUnsafeBytes {
            try EnvelopeCodec.decodeBody($0, position: position, version: header.streamVersion)
        }
    }

    /// The uncompressed envelope body of a record (the dictionary trainer's samples).
    func body(of record: UnsafeRawBufferPointer) throws -> [UInt8] {
        try decompressBody(record, header: try RecordFormat.header(of: record))
    }

    private func decompressBody(_ record: UnsafeRawBufferPointer, header: RecordFormat.Header) throws -> [UInt8] {
        let dictionary = try dictionaries.dictionary(header.dictionaryID)
        let frame = UnsafeRawBufferPointer(rebasing: record[header.frameOffset...])
        let decompressor = decompressors.withLock { $0.popLast() } ?? ZstdDecompressor()
        defer { decompressors.withLock { $0.append(decompressor) } }
        do {
            return try decompressor.decompress(frame, dictionary: dictionary)
        } catch {
            throw EventLogError(.corrupt, "record does not decompress: \(error)")
        }
    }

    private func withCompressor<T>(_ body: (ZstdCompressor) throws -> T) rethrows -> T {
        let compressor = compressors.withLock { $0.popLast() } ?? ZstdCompressor(level: dictionaries.level)
        defer { compressors.withLock { $0.append(compressor) } }
        return try body(compressor)
    }
}
