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

    /// Runs `body` with a pooled compressor and the current dictionary: compress many
    /// events with one pool round trip.
    func withCompressor<T>(_ body: (inout FrameCompressor) throws -> T) rethrows -> T {
        let compressor = compressors.withLock { $0.popLast() } ?? ZstdCompressor(level: dictionaries.level)
        defer { compressors.withLock { $0.append(compressor) } }
        let (id, dictionary) = dictionaries.current
        var frames = FrameCompressor(compressor: compressor, dictionaryID: id, dictionary: dictionary)
        return try body(&frames)
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

}

/// Compresses envelope bodies with one compressor and dictionary into exact-size frames.
struct FrameCompressor {
    let compressor: ZstdCompressor
    let dictionaryID: UInt32
    let dictionary: ZstdDictionary?
    private var scratch = [UInt8](repeating: 0, count: 1024)

    init(compressor: ZstdCompressor, dictionaryID: UInt32, dictionary: ZstdDictionary?) {
        self.compressor = compressor
        self.dictionaryID = dictionaryID
        self.dictionary = dictionary
    }

    /// Compresses `event`'s body in `stream` and appends the frame to `frames`.
    mutating func compress(_ event: NewEvent, stream: StreamID, into frames: inout PackedFrames) throws {
        let body = EnvelopeCodec.encodeBody(event, stream: stream)
        let bound = ZstdCompressor.bound(body.count)
        if scratch.count < bound { scratch = [UInt8](repeating: 0, count: bound) }
        let (compressor, dictionary, id) = (self.compressor, self.dictionary, self.dictionaryID)
        try body.withUnsafeBytes { input in
            try scratch.withUnsafeMutableBytes { output in
                let size = try compressor.compress(input, into: output, dictionary: dictionary)
                frames.append(UnsafeRawBufferPointer(rebasing: output[..<size]), dictionaryID: id)
            }
        }
    }
}
