/// API.md's text limits, checked the same way for every field of every domain.
///
/// A field limited to N characters (as a person sees them: grapheme clusters) also
/// takes at most 4N UTF-8 bytes and at most 4 combining marks per character, so what
/// one request can make the server store is bounded in bytes, whatever the script.
/// Names (usernames, display names, group names) refuse control and format characters
/// (but the zero-width joiner of emoji sequences); free text refuses control characters
/// but tab, line feed and carriage return.
///
/// ```swift
/// if let reason = TextRule.name(max: 64).violation(in: input) { throw .invalid(field: "name", reason: reason) }
/// ```
public struct TextRule: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// One line, no control or format characters.
        case name
        /// Several lines: tab, LF and CR allowed, other control characters refused.
        case freeText
    }

    public var kind: Kind
    public var characters: ClosedRange<Int>

    /// Combining marks allowed on one character.
    public static let marksPerCharacter = 4
    /// UTF-8 bytes allowed per character of the limit.
    public static let bytesPerCharacter = 4
    /// The limit of free text the API does not limit otherwise (addresses, questions, remarks).
    public static let freeTextMaximum = 1000

    public init(kind: Kind, characters: ClosedRange<Int>) {
        self.kind = kind
        self.characters = characters
    }

    /// A name of `min`-`max` characters.
    public static func name(min: Int = 1, max: Int) -> TextRule { TextRule(kind: .name, characters: min...max) }

    /// Free text of `min`-`max` characters.
    public static func freeText(min: Int = 0, max: Int = freeTextMaximum) -> TextRule {
        TextRule(kind: .freeText, characters: min...max)
    }

    /// The largest UTF-8 size a text passing this rule can have.
    public var maxBytes: Int { characters.upperBound * Self.bytesPerCharacter }

    /// Why `text` breaks the rule (a sentence naming no field), or nil when it passes.
    /// Cost is linear in the text and stops at the first violation; the byte check comes
    /// first, so an oversized input is refused without looking at its characters.
    public func violation(in text: String) -> String? {
        let range = "\(characters.lowerBound)-\(characters.upperBound) characters"
        guard text.utf8.count <= maxBytes else { return "must be \(range) and at most \(maxBytes) bytes." }
        for scalar in text.unicodeScalars where !isAllowed(scalar) {
            return kind == .name ? "must not hold control or format characters." : "must not hold control characters."
        }
        var count = 0
        for character in text {
            count += 1
            if count > characters.upperBound { return "must be \(range)." }
            var marks = 0
            for scalar in character.unicodeScalars where Self.isMark(scalar) {
                marks += 1
                if marks > Self.marksPerCharacter { return "must hold at most \(Self.marksPerCharacter) combining marks per character." }
            }
        }
        return count < characters.lowerBound ? "must be \(range)." : nil
    }

    private func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control:
            return kind == .freeText && (scalar == "\t" || scalar == "\n" || scalar == "\r")
        case .format:
            return kind == .freeText || scalar == "\u{200D}"
        case .surrogate, .unassigned, .privateUse:
            return kind == .freeText
        default:
            return true
        }
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }
}
