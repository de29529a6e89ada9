/// Comparisons of secrets (hashes, tokens) that take the same time wherever they differ.
public enum ConstantTime {
    /// Whether `a` and `b` are equal, looking at every byte (their lengths are not secret).
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
