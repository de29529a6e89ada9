/// The id of anything the server creates (a member, a session, a code, a reset, a post):
/// 26 characters of Crockford base32, time-ordered like a ULID (48 bits of milliseconds,
/// then 80 random bits), so new streams land at the end of the stream index and ids
/// cannot be guessed.
///
/// Parsed once at the edge (`EntityID("01M8…")` is nil for anything else), so a stream
/// named after one is always a valid `StreamID`.
///
/// ```swift
/// var random = SystemRandomNumberGenerator()
/// let id = EntityID.make(now: now, random: &random)
/// let stream = StreamID(.member, id)      // "member-01M8…"
/// ```
public struct EntityID: Hashable, Comparable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    /// The length of every id, in ASCII characters.
    public static let length = 26

    public let rawValue: String

    /// Parses `text`; nil unless it is 26 characters of the alphabet.
    public init?(_ text: some StringProtocol) {
        guard Self.isValid(text.utf8) else { return nil }
        rawValue = String(text)
    }

    // The same for the two types every caller has. Called from other modules, the generic
    // one is not specialized: each byte went through witness tables (a sixth of a
    // verification read model's replay, decoding the ids in its events).
    public init?(_ text: String) {
        guard Self.isValid(text.utf8) else { return nil }
        rawValue = text
    }

    public init?(_ text: Substring) {
        guard Self.isValid(text.utf8) else { return nil }
        rawValue = String(text)
    }

    private static func isValid(_ utf8: some Collection<UInt8>) -> Bool {
        utf8.count == length && utf8.allSatisfy(isInAlphabet)
    }

    /// A new id for `now`, its random part from `random`.
    public static func make<R: RandomNumberGenerator>(now: Timestamp, random: inout R) -> EntityID {
        var out = [UInt8](repeating: 0, count: length)
        var time = UInt64(max(0, now.millisecondsSince1970))
        for index in stride(from: 9, through: 0, by: -1) {
            out[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        var bits = random.next()
        var extra = random.next()
        for index in 10..<length {
            out[index] = alphabet[Int(bits & 31)]
            bits = bits >> 5 | (extra & 31) << 59
            extra >>= 5
        }
        return EntityID(unchecked: String(decoding: out, as: UTF8.self))
    }

    private init(unchecked: String) { rawValue = unchecked }

    /// Whether `byte` is one of the alphabet's (digits and capitals but I, L, O and U), by
    /// ranges: ids are parsed from every path and stream name, and a search of the
    /// alphabet per byte showed in profiles.
    private static func isInAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            byte != UInt8(ascii: "I") && byte != UInt8(ascii: "L") && byte != UInt8(ascii: "O") && byte != UInt8(ascii: "U")
        default: false
        }
    }

    /// A well-formed id for examples and documentation.
    public static let example = EntityID(unchecked: "01KB7Y3Q0000000000000000AE")

    public var description: String { rawValue }

    public static func < (lhs: EntityID, rhs: EntityID) -> Bool { lhs.rawValue < rhs.rawValue }
}
