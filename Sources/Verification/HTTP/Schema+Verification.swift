import EventSourcing
public import ServerKit

// The verification enums as they read in bodies and in the OpenAPI document.
extension Destination.Channel: Codable, SchemaEnumeration {}
extension CodeState.Status: Codable, SchemaEnumeration {}
extension DeliveryStatus: Codable, SchemaEnumeration {}

extension JSONValue {
    /// This object schema with `text` as the description of its property `name`.
    func describing(_ name: String, _ text: String) -> JSONValue {
        guard case .object(var schema) = self, case .object(var properties)? = schema["properties"],
            case .object(var property)? = properties[name]
        else { return self }
        property["description"] = .string(text)
        properties[name] = .object(property)
        schema["properties"] = .object(properties)
        return .object(schema)
    }
}
