/// Lower-case hex of bytes: digests, keyed lookups, signatures.
///
/// One table walk, no `String(format:)` (Foundation's formatter costs microseconds a byte,
/// which showed in request profiles).
extension Sequence<UInt8> {
    public var hexString: String {
        let digits: StaticString = "0123456789abcdef"
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        digits.withUTF8Buffer { table in
            for byte in self {
                out.append(table[Int(byte >> 4)])
                out.append(table[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
