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

    struct Limited: Codable, SchemaConstrained {
        var name: String
        var age: Int?
        static let schemaConstraints: [String: JSONValue] = ["name": ["minLength": 1, "maxLength": 40], "age": ["minimum": 0]]
    }

    @Test func requiredOptionalEnumsArraysAndNestedObjectsAreRead() {
        let schema = JSONSchema.of(Body.self)
        let expected: JSONValue = [
            "type": "object", "title": "Body", "x-type": "HTTPAPITests.JSONSchemaTests.Body",
            "required": ["approved", "items", "kind", "tag_counts", "title"],
            "properties": [
                "title": ["type": "string"],
                "kind": ["type": "string", "enum": ["text", "image"]],
                "items": ["type": "array", "items": [
                    "type": "object", "title": "Item", "x-type": "HTTPAPITests.JSONSchemaTests.Item", "required": ["size", "url"], "properties": ["url": ["type": "string"], "size": ["type": "integer"]],
                ]],
                "note": ["type": "string"],
                "approved": ["type": "boolean"],
                "tag_counts": ["type": "object", "additionalProperties": ["type": "integer"]],
            ],
        ]
        #expect(schema == expected)
    }

    @Test func declaredConstraintsJoinTheTypesSchema() {
        let schema = JSONSchema.of(Limited.self)
        guard case .object(let fields) = schema, case .object(let properties)? = fields["properties"] else {
            Issue.record("not an object schema: \(schema)")
            return
        }
        #expect(properties["name"] == ["type": "string", "minLength": 1, "maxLength": 40])
        #expect(properties["age"] == ["type": "integer", "minimum": 0])
        #expect(fields["required"] == ["name"])
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
