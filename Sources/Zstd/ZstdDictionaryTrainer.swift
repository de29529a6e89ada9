import CZstd

/// Trains zstd dictionaries from sample records (ZDICT).
public enum ZstdDictionaryTrainer {
    /// Trains a dictionary of at most `capacity` bytes from `samples`.
    ///
    /// ZDICT wants roughly a hundred times the dictionary size in samples and at
    /// least a few hundred samples; with too little it throws.
    public static func train(samples: [[UInt8]], capacity: Int = 16 * 1024) throws(ZstdError) -> [UInt8] {
        guard samples.count >= 8 else { throw ZstdError("too few samples to train a dictionary") }
        var joined = [UInt8]()
        joined.reserveCapacity(samples.reduce(0) { $0 + $1.count })
        var sizes = [Int]()
        sizes.reserveCapacity(samples.count)
        for sample in samples {
            joined.append(contentsOf: sample)
            sizes.append(sample.count)
        }
        var dictionary = [UInt8](repeating: 0, count: capacity)
        let size = dictionary.withUnsafeMutableBytes { dict in
            joined.withUnsafeBytes { data in
                ZDICT_trainFromBuffer(dict.baseAddress, dict.count, data.baseAddress, sizes, UInt32(sizes.count))
            }
        }
        if ZDICT_isError(size) != 0 { throw ZstdError(String(cString: ZDICT_getErrorName(size))) }
        dictionary.removeLast(capacity - size)
        return dictionary
    }
}
