import EventSourcing
import ServerKit
import Testing

/// A body's OpenAPI schema comes from its own `Decodable` declaration.
@Suite struct JSONSchemaTests {
    enum Kind: String, Codable, CaseIterable, SchemaEnumeration { case text, image }
    struct Item: Codable { var url: String; var size: Int }
    struct Body: Codable {
        var title: String
        var kind: Kind
        var items: [Item]
        var note: String?
        var approved: Bool
        var tags: [String: Int]
        enum CodingKeys: String, CodingKey { case title, kind, items, note, approved, tags = "tag_counts" }
    }

    @Test func requiredOptionalEnumsArraysAndNestedObjectsAreRead() {
        let schema = JSONSchema.of(Body.self)
        let expected: JSONValue = [
            "type": "object",
            "required": ["approved", "items", "kind", "tag_counts", "title"],
            "properties": [
                "title": ["type": "string"],
                "kind": ["type": "string", "enum": ["text", "image"]],
                "items": ["type": "array", "items": [
                    "type": "object", "required": ["size", "url"], "properties": ["url": ["type": "string"], "size": ["type": "integer"]],
                ]],
                "note": ["type": "string"],
                "approved": ["type": "boolean"],
                "tag_counts": ["type": "object", "additionalProperties": ["type": "integer"]],
            ],
        ]
        #expect(schema == expected)
    }
}
