import EventSourcing
import Zstd

/// Decodes many records in a row (reads, scans, replays) without per-record set-up:
/// one decompressor, one scratch buffer, dictionaries and type names cached locally.
/// Not thread-safe; make one per scan.
struct RecordBatchDecoder {
    private let codec: RecordCodec
    private let decompressor = ZstdDecompressor()
    private var dictionaries: [UInt32: ZstdDictionary] = [:]
    private var scratch = [UInt8](repeating: 0, count: 4096)
    private var types = TypeNameCache()

    init(codec: RecordCodec) { self.codec = codec }

    /// Decodes the record stored at `position`.
    mutating func decode(_ record: UnsafeRawBufferPointer, position: LogPosition) throws -> RecordedEvent {
        let header = try RecordFormat.header(of: record)
        let frame = UnsafeRawBufferPointer(rebasing: record[header.frameOffset...])
        let dictionary = try dictionary(header.dictionaryID)
        let size: Int
        do {
            size = try decompressor.contentSize(of: frame)
            if size > scratch.count { scratch = [UInt8](repeating: 0, count: max(size, scratch.count * 2)) }
            let written = try scratch.withUnsafeMutableBytes { out in
                try decompressor.decompress(frame, into: out, dictionary: dictionary)
            }
            guard written == size else { throw ZstdError("frame shorter than its declared size") }
        } catch {
            throw EventLogError(.corrupt, "record at \(position) does not decompress: \(error)")
        }
        return try scratch.withUnsafeBytes { body in
            try EnvelopeCodec.decodeBody(
                UnsafeRawBufferPointer(rebasing: body[..<size]), position: position, version: header.streamVersion,
                types: &types)
        }
    }

    private mutating func dictionary(_ id: UInt32) throws -> ZstdDictionary? {
        guard id != 0 else { return nil }
        if let known = dictionaries[id] { return known }
        let loaded = try codec.dictionaries.dictionary(id)
        dictionaries[id] = loaded
        return loaded
    }
}
