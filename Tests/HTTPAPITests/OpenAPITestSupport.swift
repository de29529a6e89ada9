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
