import CZstd

/// A zstd dictionary, ready for compression (at a fixed level) and decompression.
///
/// Immutable and safe to share between threads: libzstd only reads the digested
/// `CDict`/`DDict` while compressing or decompressing.
public final class ZstdDictionary: @unchecked Sendable {
    /// The dictionary as trained (what is stored and what other zstd libraries load).
    public let bytes: [UInt8]
    let cdict: OpaquePointer
    let ddict: OpaquePointer

    /// Digests `bytes` for compression at `level` and for decompression.
    public init(bytes: [UInt8], level: Int32 = ZstdCompressor.defaultLevel) throws(ZstdError) {
        guard !bytes.isEmpty else { throw ZstdError("empty dictionary") }
        let made: (OpaquePointer?, OpaquePointer?) = bytes.withUnsafeBytes { raw in
            (ZSTD_createCDict(raw.baseAddress, raw.count, level), ZSTD_createDDict(raw.baseAddress, raw.count))
        }
        guard let cdict = made.0, let ddict = made.1 else {
            if let c = made.0 { ZSTD_freeCDict(c) }
            if let d = made.1 { ZSTD_freeDDict(d) }
            throw ZstdError("libzstd could not digest the dictionary")
        }
        self.bytes = bytes
        self.cdict = cdict
        self.ddict = ddict
    }

    deinit {
        ZSTD_freeCDict(cdict)
        ZSTD_freeDDict(ddict)
    }
}
