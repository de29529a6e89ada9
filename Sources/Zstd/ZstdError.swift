import CZstd

/// An error reported by libzstd (or the dictionary trainer), with its name.
public struct ZstdError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// Returns `result` unless it encodes a zstd error.
    @inline(__always)
    static func check(_ result: Int) throws(ZstdError) -> Int {
        if ZSTD_isError(result) != 0 { throw ZstdError(String(cString: ZSTD_getErrorName(result))) }
        return result
    }
}
