public import EventSourcing

/// A value whose JSON form is one of a fixed set of strings (an enum in the OpenAPI document).
public protocol SchemaEnumeration {
    static var schemaValues: [String] { get }
}

extension SchemaEnumeration where Self: CaseIterable & RawRepresentable, RawValue == String {
    public static var schemaValues: [String] { allCases.map(\.rawValue) }
}

/// A body type's constraints beyond its Swift types, by property: lengths, ranges, formats
/// and patterns (JSON Schema keywords), merged into its schema by `JSONSchema.of`. Keep them
/// next to the rules that enforce them.
///
/// ```swift
/// extension RegisterBody: SchemaConstrained {
///     static let schemaConstraints: [String: JSONValue] = ["username": ["minLength": 3, "maxLength": 32]]
/// }
/// ```
public protocol SchemaConstrained {
    static var schemaConstraints: [String: JSONValue] { get }
}

/// JSON Schemas derived from the `Decodable` declarations of request and response bodies,
/// so a body and its OpenAPI schema are one declaration. The recorder "decodes" the type,
/// noting every key it asks for, whether it asks with `decode` (required) or
/// `decodeIfPresent` (optional), and the type it asks for, recursively.
///
/// ```swift
/// struct RegisterBody: Decodable { var username: String; var phone: String? }
/// JSONSchema.of(RegisterBody.self)
/// // {"type":"object","properties":{"username":{"type":"string"},"phone":{"type":"string"}},"required":["username"]}
/// ```
public enum JSONSchema {
    /// The schema of `type`'s JSON form.
    public static func of<T: Decodable>(_ type: T.Type) -> JSONValue { SchemaDecoder(depth: 0).schema(of: type) }
}

/// Arrays and dictionaries describe their elements (an array's decoder never asks for an
/// element when there is none to decode).
protocol SchemaContainer {
    static func schema(_ recorder: SchemaDecoder) -> JSONValue
}

extension Array: SchemaContainer where Element: Decodable {
    static func schema(_ recorder: SchemaDecoder) -> JSONValue { ["type": "array", "items": recorder.schema(of: Element.self)] }
}

extension Dictionary: SchemaContainer where Key == String, Value: Decodable {
    static func schema(_ recorder: SchemaDecoder) -> JSONValue {
        ["type": "object", "additionalProperties": recorder.schema(of: Value.self)]
    }
}

/// Records what a `Decodable` type reads.
final class SchemaDecoder: Decoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    let depth: Int
    private(set) var properties: [(String, JSONValue)] = []
    private(set) var required: [String] = []
    private(set) var single: JSONValue?

    init(depth: Int) { self.depth = depth }

    /// The schema of `type`, by decoding it with a fresh recorder.
    func schema<T: Decodable>(of type: T.Type) -> JSONValue {
        if let leaf = Self.leaf(type) { return leaf }
        if let container = type as? any SchemaContainer.Type { return container.schema(self) }
        guard depth < 12 else { return ["type": "object"] }
        let child = SchemaDecoder(depth: depth + 1)
        _ = try? T(from: child)
        if let single = child.single { return single }
        var properties = Dictionary(child.properties, uniquingKeysWith: { $1 })
        if let constrained = type as? any SchemaConstrained.Type {
            for (name, extra) in constrained.schemaConstraints {
                guard case .object(var schema) = properties[name] ?? ["type": "string"], case .object(let keywords) = extra else { continue }
                schema.merge(keywords) { _, new in new }
                properties[name] = .object(schema)
            }
        }
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if !child.required.isEmpty { schema["required"] = .array(child.required.sorted().map { .string($0) }) }
        // The document names the schema after its type (a component of its own).
        schema["title"] = .string(String(describing: type))
        schema["x-type"] = .string(String(reflecting: type))
        return .object(schema)
    }

    /// Schemas of the types that are not containers.
    static func leaf<T>(_ type: T.Type) -> JSONValue? {
        if let enumeration = type as? any SchemaEnumeration.Type {
            return ["type": "string", "enum": .array(enumeration.schemaValues.map { .string($0) })]
        }
        switch type {
        case is String.Type: return ["type": "string"]
        case is Bool.Type: return ["type": "boolean"]
        case is Double.Type, is Float.Type: return ["type": "number"]
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt64.Type, is UInt32.Type, is UInt.Type: return ["type": "integer"]
        default: return nil
        }
    }

    func note(_ key: String, _ schema: JSONValue, required isRequired: Bool) {
        properties.append((key, schema))
        if isRequired { required.append(key) }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedRecorder<Key>(recorder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { PlaceholderDecoder.EmptyArray() }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleRecorder(recorder: self) }
}

struct KeyedRecorder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: SchemaDecoder
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        recorder.note(key.stringValue, recorder.schema(of: type), required: true)
        return try PlaceholderDecoder.value(type)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optional(type, key) }

    // The standard library's overloads for these would ask `decodeNil` and then `decode`,
    // which reads as required: each is an optional key here.
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

    private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        recorder.note(key.stringValue, recorder.schema(of: type), required: false)
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(KeyedRecorder<NestedKey>(recorder: SchemaDecoder(depth: recorder.depth + 1)))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { PlaceholderDecoder.EmptyArray() }
    func superDecoder() throws -> any Decoder { recorder }
    func superDecoder(forKey key: Key) throws -> any Decoder { recorder }
}

struct SingleRecorder: SingleValueDecodingContainer {
    let recorder: SchemaDecoder
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        recorder.singleValue(recorder.schema(of: type))
        return try PlaceholderDecoder.value(type)
    }
}

extension SchemaDecoder {
    func singleValue(_ schema: JSONValue) { single = schema }
}

/// Plausible values for any `Decodable` type, so the recorder can go on to the next key:
/// empty strings, zeros, `false`, empty arrays, no optionals, an enum's first case.
struct PlaceholderDecoder: Decoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What a single string value decodes to (an enum's first raw value).
    let string: String

    static func value<T: Decodable>(_ type: T.Type) throws -> T {
        let first = (type as? any SchemaEnumeration.Type)?.schemaValues.first ?? ""
        return try T(from: PlaceholderDecoder(string: first))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> { KeyedDecodingContainer(Keyed<Key>()) }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { EmptyArray() }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(string: string) }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }
        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try PlaceholderDecoder.value(type) }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { nil }
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            KeyedDecodingContainer(Keyed<N>())
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { EmptyArray() }
        func superDecoder() throws -> any Decoder { PlaceholderDecoder(string: "") }
        func superDecoder(forKey key: Key) throws -> any Decoder { PlaceholderDecoder(string: "") }
    }

    struct EmptyArray: UnkeyedDecodingContainer {
        var codingPath: [any CodingKey] { [] }
        var count: Int? { 0 }
        var isAtEnd: Bool { true }
        var currentIndex: Int { 0 }
        struct End: Error {}
        mutating func decodeNil() throws -> Bool { throw End() }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { throw End() }
        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> { throw End() }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw End() }
        mutating func superDecoder() throws -> any Decoder { throw End() }
    }

    struct Single: SingleValueDecodingContainer {
        let string: String
        var codingPath: [any CodingKey] { [] }
        func decodeNil() -> Bool { false }
        func decode(_ type: String.Type) throws -> String { string }
        func decode(_ type: Bool.Type) throws -> Bool { false }
        func decode(_ type: Double.Type) throws -> Double { 0 }
        func decode(_ type: Float.Type) throws -> Float { 0 }
        func decode(_ type: Int.Type) throws -> Int { 0 }
        func decode(_ type: Int64.Type) throws -> Int64 { 0 }
        func decode(_ type: UInt64.Type) throws -> UInt64 { 0 }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try PlaceholderDecoder.value(type) }
    }
}
