extension TextRule {
    /// This rule as JSON Schema keywords for the OpenAPI document, with `note` (what the
    /// characters may be) before the limits in the description.
    ///
    /// JSON Schema counts a string's length in code points, this rule in characters as a
    /// person sees them, and one character can be several code points (`"\r\n"`, a letter
    /// and its marks, a flag). So `maxLength` is the bound in code points that the byte
    /// limit implies (a code point takes at least one byte): a schema that said N would
    /// call valid answers invalid, and a client validating by it would refuse names the
    /// server accepts. The character limit is in the description.
    public func schema(_ note: String? = nil) -> JSONValue {
        let limits = "\(characters.lowerBound)-\(characters.upperBound) characters as a person sees them, at most \(maxBytes) UTF-8 bytes."
        return [
            "type": "string", "minLength": .number(characters.lowerBound), "maxLength": .number(maxBytes),
            "description": .string(note.map { "\($0) \(limits)" } ?? limits),
        ]
    }
}
