import CZstd

/// Compresses small records into magicless zstd frames, with or without a dictionary.
///
/// Frames carry their content size but no magic number, no dictionary id and no
/// checksum: the record header names the dictionary, and the log authenticates
/// records with its Merkle tree. To read a frame with another zstd library,
/// prepend the magic bytes `28 B5 2F FD`.
///
/// Not thread-safe: one compressor per thread (or per pooled use).
// Sendable so a pool can hand it between threads; it is used by one at a time.
public final class ZstdCompressor: @unchecked Sendable {
    /// The level used unless another is given (zstd's default).
    public static let defaultLevel: Int32 = 3

    private let cctx: OpaquePointer
    private let level: Int32

    public init(level: Int32 = ZstdCompressor.defaultLevel) {
        cctx = ZSTD_createCCtx()
        self.level = level
        ZSTD_CCtx_setParameter(cctx, logbook_zstd_c_format(), Int32(ZSTD_f_zstd1_magicless.rawValue))
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_dictIDFlag, 0)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)
    }

    deinit { ZSTD_freeCCtx(cctx) }

    /// The largest frame `count` input bytes can become.
    public static func bound(_ count: Int) -> Int { ZSTD_compressBound(count) }

    /// Compresses `input` into `output` (at least `bound(input.count)` bytes) and returns the frame size.
    public func compress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, dictionary: ZstdDictionary?
    ) throws(ZstdError) -> Int {
        _ = try ZstdError.check(ZSTD_CCtx_refCDict(cctx, dictionary?.cdict))
        return try ZstdError.check(
            ZSTD_compress2(cctx, output.baseAddress, output.count, input.baseAddress, input.count))
    }

    /// Appends the frame for `input` to `output`.
    public func compress(
        _ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], dictionary: ZstdDictionary?
    ) throws {
        let start = output.count
        let capacity = Self.bound(input.count)
        output.append(contentsOf: repeatElement(0, count: capacity))
        let written: Int
        do {
            written = try output.withUnsafeMutableBytes { raw in
                try compress(input, into: UnsafeMutableRawBufferPointer(rebasing: raw[start...]), dictionary: dictionary)
            }
        } catch {
            output.removeLast(capacity)
            throw error
        }
        output.removeLast(capacity - written)
    }
}
