/// The languages a code's message is written in: `zh-CN` (the seeds' language, the
/// default) and `en`. A send picks one by its `locale` field or, without one, by its
/// `Accept-Language` header.
///
/// ```swift
/// MessageLocale(tag: "en-GB")                                      // .en
/// MessageLocale(tag: "fr")                                         // nil: not shipped (400 on a send)
/// MessageLocale.negotiate(acceptLanguage: "fr;q=1, en;q=0.5")      // .en
/// ```
public enum MessageLocale: String, Sendable, CaseIterable, Hashable {
    case zhCN = "zh-CN"
    case en = "en"

    /// The locale of a send that names none and whose `Accept-Language` matches none.
    public static let `default` = MessageLocale.zhCN

    /// The longest tag looked at (RFC 5646 tags in use are far shorter).
    static let maxTagLength = 35

    /// The shipped locale for a BCP 47 language tag, matched case-insensitively on its
    /// primary language: `en`, `en-US`, `EN-gb` are `en`; `zh`, `zh-CN`, `zh-Hans-CN`,
    /// `zh-TW` are `zh-CN` (the only Chinese shipped). Nil for another language or a
    /// malformed tag.
    public init?(tag: String) {
        let utf8 = Array(tag.utf8)
        guard (1...Self.maxTagLength).contains(utf8.count) else { return nil }
        let subtags = utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        for (index, subtag) in subtags.enumerated() {
            guard (1...8).contains(subtag.count),
                subtag.allSatisfy({ Self.isLetter($0) || (index > 0 && (0x30...0x39).contains($0)) })
            else { return nil }
        }
        switch String(decoding: subtags[0], as: UTF8.self).lowercased() {
        case "zh": self = .zhCN
        case "en": self = .en
        default: return nil
        }
    }

    /// The locale an `Accept-Language` header (RFC 9110 12.5.4) asks for: the acceptable
    /// range with the highest weight that names a shipped language (ties in the header's
    /// order); `*` accepts the default. Nil when nothing in it matches, so the caller
    /// falls back to the default. Malformed entries are skipped, never an error: the
    /// header is a preference, not a command.
    public static func negotiate(acceptLanguage header: String) -> MessageLocale? {
        var ranges: [(weight: Int, order: Int, range: Substring)] = []
        for (order, item) in header.split(separator: ",").prefix(32).enumerated() {
            let parts = item.split(separator: ";")
            guard let first = parts.first else { continue }
            let range = first.trimmingSpaces
            var weight = 1000
            for parameter in parts.dropFirst() {
                let pair = parameter.trimmingSpaces.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingSpaces.lowercased() == "q" {
                    weight = quality(pair[1].trimmingSpaces) ?? 0
                }
            }
            if weight > 0 { ranges.append((weight, order, range)) }
        }
        ranges.sort { ($0.weight, -$0.order) > ($1.weight, -$1.order) }
        for entry in ranges {
            if entry.range == "*" { return .default }
            if let locale = MessageLocale(tag: String(entry.range)) { return locale }
        }
        return nil
    }

    /// A qvalue (`0`, `0.5`, `1.000`) in thousandths; nil when malformed.
    static func quality(_ text: Substring) -> Int? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, whole == "0" || whole == "1" else { return nil }
        var value = whole == "1" ? 1000 : 0
        if parts.count == 2 {
            let digits = Array(parts[1].utf8)
            guard digits.count <= 3, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            var fraction = 0
            for (index, digit) in digits.enumerated() { fraction += Int(digit - 0x30) * [100, 10, 1][index] }
            guard whole == "0" || fraction == 0 else { return nil }
            value += fraction
        }
        return value
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (HTTP's optional white space).
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
