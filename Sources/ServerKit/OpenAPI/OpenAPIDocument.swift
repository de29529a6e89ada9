public import EventSourcing
import HTTPTypes

/// The OpenAPI 3.1 document, generated from the route table (so it lists exactly the
/// routes that exist): per operation an `operationId`, its domain's tag, its path, query
/// and header parameters with their bounds, the bearer or admin security it needs, its
/// request and response bodies as named components (from their Swift declarations), and
/// every error it can answer in API.md's envelope with `X-Request-Id` and `Retry-After`.
public struct OpenAPIDocument: Sendable {
    public let json: JSONValue

    public init(table: RouteTable, version: String = "1") {
        var components = SchemaComponents()
        var paths: [String: [String: JSONValue]] = [:]
        for route in table.routes {
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = Self.operation(route, components: &components)
        }
        var schemas = components.schemas
        schemas["Error"] = Self.errorSchema
        json = [
            "openapi": "3.1.0",
            "info": [
                "title": "Logbook", "version": .string(version),
                "description": "An event-sourced backend: verification codes, members, feeds, groups, messaging. A 2xx to a command means its events are durable.",
            ],
            "tags": .array(Set(table.routes.map(\.tag)).sorted().map { ["name": .string($0)] }),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": [
                "schemas": .object(schemas),
                "securitySchemes": [
                    "memberToken": ["type": "http", "scheme": "bearer", "description": "A member's session token (`lbk_...`) from POST /v1/sessions or POST /v1/members."],
                    "adminToken": ["type": "http", "scheme": "bearer", "description": "The server's admin token (LOGBOOK_ADMIN_TOKEN)."],
                ],
                "headers": [
                    "X-Request-Id": ["description": "The request's id (the client's, or one the server made): in logs, error bodies and events.", "schema": .string],
                    "Retry-After": ["description": "Seconds after which a retry may succeed (absent where waiting does not help).", "schema": .integer],
                ],
                "parameters": [
                    "IdempotencyKey": [
                        "name": "Idempotency-Key", "in": "header", "required": false,
                        "description": "A retry with the same key and body gets the first answer back and appends nothing (kept at least 24 h).",
                        "schema": ["type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[!-~]{1,128}$"],
                    ],
                    "XRequestId": [
                        "name": "X-Request-Id", "in": "header", "required": false,
                        "description": "An id for this request (1-128 of A-Za-z0-9-_.:/+=@); echoed back.",
                        "schema": ["type": "string", "maxLength": 128, "pattern": "^[A-Za-z0-9._:/+=@-]{1,128}$"],
                    ],
                ],
            ],
        ]
    }

    static let errorSchema: JSONValue = .properties(
        ["error": .properties(
            ["code": .string, "message": .string, "field": .string, "attempts_left": .integer, "retry_after_seconds": .integer,
             "request_id": .string, "members": ["type": "array", "items": .properties(["id": .string, "display_name": .string])]],
            required: ["code", "message"])],
        required: ["error"])

    static func operation(_ route: RouteTable.Route, components: inout SchemaComponents) -> JSONValue {
        var operation: [String: JSONValue] = [
            "summary": .string(route.summary), "operationId": .string(operationID(route)), "tags": [.string(route.tag)],
        ]
        let pathNames = route.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
        var parameters: [JSONValue] = pathNames.map { name in
            ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string", "minLength": 1, "maxLength": 128]]
        }
        for query in route.query {
            parameters.append([
                "name": .string(query.name), "in": "query", "required": .bool(query.required), "description": .string(query.description),
                "schema": query.schema,
            ])
        }
        let isCommand = route.method != .get && route.method != .head
        if isCommand { parameters.append(["$ref": "#/components/parameters/IdempotencyKey"]) }
        parameters.append(["$ref": "#/components/parameters/XRequestId"])
        operation["parameters"] = .array(parameters)
        if let schema = route.requestSchema {
            operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": components.reference(schema)]]]
        }
        switch route.security {
        case .none: operation["security"] = []
        case .member: operation["security"] = [["memberToken": []]]
        case .optionalMember: operation["security"] = [[:], ["memberToken": []]]
        case .admin: operation["security"] = [["adminToken": []]]
        }
        var responses: [Int: (String, JSONValue?)] = route.responses.mapValues { ($0.description, $0.schema) }
        func standard(_ status: Int, _ description: String) { if responses[status] == nil { responses[status] = (description, nil) } }
        if route.requestSchema != nil || !route.query.isEmpty || !pathNames.isEmpty { standard(400, "Invalid input (validation_failed, invalid_json)") }
        if route.security != .none { standard(401, "No valid token (unauthenticated)") }
        if route.security == .admin { standard(403, "Admin routes are off (no admin token configured)") }
        if route.requestSchema != nil {
            standard(413, "The body is over 1 MiB (payload_too_large)")
            standard(415, "The body is not application/json (unsupported_media_type)")
        }
        if isCommand {
            standard(422, "The Idempotency-Key was used with another body (idempotency_key_reused)")
            standard(503, "Storage cannot accept writes right now (unavailable)")
        }
        var answers: [String: JSONValue] = [:]
        for (status, (description, schema)) in responses {
            var headers: [String: JSONValue] = ["X-Request-Id": ["$ref": "#/components/headers/X-Request-Id"]]
            if status == 429 || status == 503 { headers["Retry-After"] = ["$ref": "#/components/headers/Retry-After"] }
            var entry: [String: JSONValue] = ["description": .string(description), "headers": .object(headers)]
            let body = schema.map { components.reference($0) } ?? (status >= 400 ? ["$ref": "#/components/schemas/Error"] : nil)
            if let body { entry["content"] = ["application/json": ["schema": body]] }
            answers[String(status)] = .object(entry)
        }
        operation["responses"] = .object(answers)
        return .object(operation)
    }

    /// `postVerificationsByKeyCheck` for `POST /v1/verifications/{key}/check`.
    static func operationID(_ route: RouteTable.Route) -> String {
        var words = [route.method.rawValue.lowercased()]
        for segment in route.path.split(separator: "/") where segment != "v1" {
            if segment.hasPrefix("{") {
                words.append("By" + capitalized(segment.dropFirst().dropLast()))
            } else {
                words.append(capitalized(segment))
            }
        }
        return words.joined()
    }

    static func capitalized(_ text: Substring) -> String {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
