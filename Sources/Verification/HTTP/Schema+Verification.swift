public import ServerKit

// The verification enums as they read in bodies and in the OpenAPI document.
extension Destination.Channel: Codable, SchemaEnumeration {}
extension CodeState.Status: Codable, SchemaEnumeration {}
