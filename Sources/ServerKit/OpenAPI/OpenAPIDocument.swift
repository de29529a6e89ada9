public import EventSourcing
import HTTPTypes
/// The OpenAPI 3.1 document, generated from the route table (so it lists exactly the
/// routes that exist), with API.md's error envelope as the schema of every error.
public struct OpenAPIDocument: Sendable {
    public let json: JSONValue

    public init(table: RouteTable) {
        var paths: [String: [String: JSONValue]] = [:]
        for route in table.routes {
            var operation: [String: JSONValue] = ["summary": .string(route.summary)]
            let parameters = route.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { segment -> JSONValue in
                ["name": .string(String(segment.dropFirst().dropLast())), "in": "path", "required": true, "schema": .string]
            }
            if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
            if let schema = route.requestSchema {
                operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": schema]]]
            }
            var responses: [String: JSONValue] = [:]
            for (status, response) in route.responses {
                var entry: [String: JSONValue] = ["description": .string(response.description)]
                let schema = response.schema ?? (status >= 400 ? ["$ref": "#/components/schemas/Error"] : nil)
                if let schema { entry["content"] = ["application/json": ["schema": schema]] }
                responses[String(status)] = .object(entry)
            }
            operation["responses"] = .object(responses)
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = .object(operation)
        }
        json = [
            "openapi": "3.1.0",
            "info": ["title": "Logbook", "version": "1"],
            "paths": .object(paths.mapValues { .object($0) }),
            "components": ["schemas": ["Error": .properties(["error": .properties(
                ["code": .string, "message": .string, "field": .string, "attempts_left": .integer,
                 "retry_after_seconds": .integer], required: ["code", "message"])], required: ["error"])]],
        ]
    }
}
