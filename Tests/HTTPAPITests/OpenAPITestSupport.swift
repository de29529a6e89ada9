import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

extension TestClientProtocol {
    /// `/openapi.json` as JSON objects, every `#/components/schemas/` reference replaced
    /// by the schema it names (so a test can look into a body's fields directly).
    func inlinedOpenAPIDocument() async throws -> [String: Any] {
        let document = try await execute(uri: "/openapi.json", method: .get) { response in
            try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
        }
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        func inlined(_ value: Any, depth: Int) -> Any {
            if let object = value as? [String: Any] {
                if depth < 8, let reference = object["$ref"] as? String, reference.hasPrefix("#/components/schemas/") {
                    return inlined(schemas[String(reference.dropFirst("#/components/schemas/".count))] ?? [:], depth: depth + 1)
                }
                return object.mapValues { inlined($0, depth: depth) }
            }
            if let array = value as? [Any] { return array.map { inlined($0, depth: depth) } }
            return value
        }
        return inlined(document, depth: 0) as? [String: Any] ?? [:]
    }
}

/// Where a JSON value breaks a schema of the OpenAPI document (its references inlined):
/// the keywords this API's bodies use (type, properties, required, items, enum,
/// minLength/maxLength in code points as JSON Schema counts them, pattern, minimum/maximum,
/// anyOf/oneOf). One line per violation, naming its path; empty when the value conforms.
/// Lets a test hold an answer to its documented schema, as a fuzzer's schema check does.
func schemaViolations(of value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
    if let choices = (schema["anyOf"] ?? schema["oneOf"]) as? [[String: Any]] {
        return choices.contains { schemaViolations(of: value, against: $0, at: path).isEmpty } ? [] : ["\(path): matches no choice"]
    }
    var found: [String] = []
    if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
        found.append("\(path): \(value) is not one of \(allowed)")
    }
    let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
    func isType(_ type: String) -> Bool {
        switch type {
        case "null": value is NSNull
        case "boolean": value is Bool
        case "integer": (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "number": value is NSNumber
        case "string": value is String
        case "array": value is [Any]
        case "object": value is [String: Any]
        default: true
        }
    }
    if !types.isEmpty, !types.contains(where: isType) { return found + ["\(path): \(value) is not of type \(types)"] }
    if let string = value as? String {
        let length = string.unicodeScalars.count
        if let min = schema["minLength"] as? Int, length < min { found.append("\(path): \"\(string)\" is shorter than \(min)") }
        if let max = schema["maxLength"] as? Int, length > max { found.append("\(path): \"\(string)\" is longer than \(max)") }
        if let pattern = schema["pattern"] as? String, string.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(path): \"\(string)\" does not match \(pattern)")
        }
    }
    if let number = value as? NSNumber {
        if let min = schema["minimum"] as? Double, number.doubleValue < min { found.append("\(path): \(number) < \(min)") }
        if let max = schema["maximum"] as? Double, number.doubleValue > max { found.append("\(path): \(number) > \(max)") }
    }
    if let object = value as? [String: Any] {
        for key in schema["required"] as? [String] ?? [] where object[key] == nil { found.append("\(path).\(key): missing") }
        for (key, property) in schema["properties"] as? [String: [String: Any]] ?? [:] {
            if let field = object[key] { found += schemaViolations(of: field, against: property, at: "\(path).\(key)") }
        }
    }
    if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
        for (index, item) in array.enumerated() { found += schemaViolations(of: item, against: items, at: "\(path)[\(index)]") }
    }
    return found
}

/// The JSON schema the document declares for `method path`'s `status` answer.
func responseSchema(_ document: [String: Any], _ method: String, _ path: String, _ status: Int) -> [String: Any]? {
    let paths = document["paths"] as? [String: Any]
    let operation = (paths?[path] as? [String: Any])?[method] as? [String: Any]
    let response = (operation?["responses"] as? [String: Any])?["\(status)"] as? [String: Any]
    let json = (response?["content"] as? [String: Any])?["application/json"] as? [String: Any]
    return json?["schema"] as? [String: Any]
}
