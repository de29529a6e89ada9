public import EventSourcing

/// A query parameter as a route declares it for the OpenAPI document: its name, schema
/// (with the bounds the route enforces), whether it is required, and what it means.
public struct QueryParameter: Sendable, Hashable {
    public var name: String
    public var schema: JSONValue
    public var required: Bool
    public var description: String

    public init(_ name: String, schema: JSONValue, required: Bool = false, description: String) {
        (self.name, self.schema, self.required, self.description) = (name, schema, required, description)
    }

    /// An integer in `range` (`Request.queryInteger` enforces the same), with its default.
    public static func integer(
        _ name: String, range: ClosedRange<UInt64> = 0...UInt64(Int64.max), default fallback: UInt64? = nil, description: String
    ) -> QueryParameter {
        var schema: [String: JSONValue] = [
            "type": "integer", "format": "int64", "minimum": .count(range.lowerBound), "maximum": .count(range.upperBound),
        ]
        if let fallback { schema["default"] = .count(fallback) }
        return QueryParameter(name, schema: .object(schema), required: fallback == nil, description: description)
    }

    /// Text of at most `maxLength` characters.
    public static func string(_ name: String, maxLength: Int, required: Bool = false, description: String) -> QueryParameter {
        QueryParameter(name, schema: ["type": "string", "maxLength": .number(maxLength)], required: required, description: description)
    }
}

/// Who may call a route, for the OpenAPI document's security requirements.
public enum RouteSecurity: String, Sendable, Hashable {
    /// Anyone.
    case none
    /// A member's bearer token (`Authorization: Bearer lbk_...`).
    case member
    /// Anyone; a member's token, when sent, is checked (401 if it is not valid) and
    /// changes the answer (for example `liked_by_me`).
    case optionalMember
    /// The admin token (`Authorization: Bearer <admin token>`).
    case admin
}

extension PageRequest {
    /// `page` and `page_size`, as `init(_:)` reads them.
    public static let parameters: [QueryParameter] = [
        .integer("page", range: 1...1_000_000, default: 1, description: "The page, from 1."),
        .integer("page_size", range: 1...100, default: 20, description: "Items per page."),
    ]
}

extension CursorRequest {
    /// `cursor` and `limit`, as `init(_:)` reads them.
    public static let parameters = parameters(defaultLimit: 20)

    /// `cursor` and `limit`, as `init(_:defaultLimit:)` reads them.
    public static func parameters(defaultLimit: Int) -> [QueryParameter] {
        [
            .string("cursor", maxLength: 512, description: "Where to go on: the `next_cursor` of the previous page (opaque)."),
            .integer("limit", range: 1...100, default: UInt64(defaultLimit), description: "Items per page."),
        ]
    }
}
