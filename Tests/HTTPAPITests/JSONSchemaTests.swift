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

@Suite struct PagingTests {
    @Test func cursorsRoundTripAndRefuseWhatTheServerDidNotMake() {
        let cursor = Cursor(["1795000000000", "01KB7Y3Q0000000000000000AE", "好"])
        #expect(Cursor(cursor.description) == cursor)
        #expect(!cursor.description.contains("01KB7"), "opaque: not the id in the clear")
        for bad in ["", "!!!", "abc", String(repeating: "A", count: 600), "Yz"] { #expect(Cursor(bad) == nil, "\(bad)") }
        #expect(PageRequest(page: 3, size: 20).range(of: 45) == 40..<45)
        #expect(PageRequest(page: 9, size: 20).range(of: 45).isEmpty)
        #expect(PageBody(items: [1, 2], request: PageRequest(page: 1, size: 2), totalRows: 5).totalPages == 3)
    }
}
