import CZstd

/// libzstd's plain one-shot API, standing in for "any other zstd library".
enum StandardZstd {
    static func decompress(_ frame: [UInt8]) throws -> [UInt8] {
        let size = Int(frame.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) })
        var out = [UInt8](repeating: 0, count: size)
        let written = out.withUnsafeMutableBytes { dst in
            frame.withUnsafeBytes { src in ZSTD_decompress(dst.baseAddress, dst.count, src.baseAddress, src.count) }
        }
        struct Failed: Error {}
        guard ZSTD_isError(written) == 0, written == size else { throw Failed() }
        return out
    }
}
