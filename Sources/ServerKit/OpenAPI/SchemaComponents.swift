import EventSourcing

/// The named schemas of the document: every schema `JSONSchema.of` made from a type
/// (it carries the type's name) becomes a component referenced by `$ref`, nested ones
/// too; two different types of one short name are told apart by their full names.
struct SchemaComponents {
    private(set) var schemas: [String: JSONValue] = [:]
    private var owners: [String: String] = [:]

    /// `schema` with every named object in it replaced by a reference to its component.
    mutating func reference(_ schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(var fields):
            for (key, value) in fields where key != "x-type" { fields[key] = reference(value) }
            guard case .string(let title)? = fields["title"] else { return .object(fields) }
            let full: String
            if case .string(let type)? = fields.removeValue(forKey: "x-type") { full = type } else { full = title }
            let name = componentName(title: title, full: full)
            fields["title"] = .string(name)
            schemas[name] = .object(fields)
            return ["$ref": .string("#/components/schemas/\(name)")]
        case .array(let items):
            return .array(items.map { reference($0) })
        default:
            return schema
        }
    }

    private mutating func componentName(title: String, full: String) -> String {
        let short = Self.sanitized(title)
        if owners[short] == nil || owners[short] == full {
            owners[short] = full
            return short
        }
        let long = Self.sanitized(full.split(separator: ".").dropFirst().joined(separator: "."))
        owners[long] = full
        return long
    }

    /// Letters and digits only (`PageBody<MemberView>` is `PageBodyMemberView`).
    static func sanitized(_ name: String) -> String {
        String(name.unicodeScalars.filter { ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) }.map(Character.init))
    }
}
