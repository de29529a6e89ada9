import CZstd

/// Decompresses magicless frames written by `ZstdCompressor`.
///
/// Not thread-safe: one decompressor per thread (or per scan).
// Sendable so a pool can hand it between threads; it is used by one at a time.
public final class ZstdDecompressor: @unchecked Sendable {
    private let dctx: OpaquePointer
    /// Frames that claim more content than this are refused (a corrupt size must not allocate gigabytes).
    public let maxContentSize: Int

    public init(maxContentSize: Int = 64 << 20) {
        dctx = ZSTD_createDCtx()
        self.maxContentSize = maxContentSize
        ZSTD_DCtx_setParameter(dctx, logbook_zstd_d_format(), Int32(ZSTD_f_zstd1_magicless.rawValue))
    }

    deinit { ZSTD_freeDCtx(dctx) }

    /// The content size the frame header declares.
    public func contentSize(of frame: UnsafeRawBufferPointer) throws(ZstdError) -> Int {
        var header = ZSTD_frameHeader()
        let rc = ZSTD_getFrameHeader_advanced(&header, frame.baseAddress, frame.count, ZSTD_f_zstd1_magicless)
        if rc != 0 { throw ZstdError(rc > 0 ? "truncated frame header" : String(cString: ZSTD_getErrorName(rc))) }
        guard header.frameContentSize != ZSTD_CONTENTSIZE_UNKNOWN, header.frameContentSize <= UInt64(maxContentSize)
        else { throw ZstdError("frame content size missing or too large") }
        return Int(header.frameContentSize)
    }

    /// Decompresses `frame` into `output` and returns the number of bytes written.
    public func decompress(
        _ frame: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, dictionary: ZstdDictionary?
    ) throws(ZstdError) -> Int {
        _ = try ZstdError.check(ZSTD_DCtx_refDDict(dctx, dictionary?.ddict))
        return try ZstdError.check(
            ZSTD_decompressDCtx(dctx, output.baseAddress, output.count, frame.baseAddress, frame.count))
    }

    /// Decompresses `frame` into a new array of exactly its content size.
    public func decompress(_ frame: UnsafeRawBufferPointer, dictionary: ZstdDictionary?) throws -> [UInt8] {
        let size = try contentSize(of: frame)
        var failure: (any Error)?
        let out = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            do {
                initialized = try decompress(frame, into: UnsafeMutableRawBufferPointer(buffer), dictionary: dictionary)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        guard out.count == size else { throw ZstdError("frame shorter than its declared size") }
        return out
    }
}
