public import EventSourcing
import Foundation

/// A small JSON writer for the hot answers (feed pages, members pages, messages): it
/// writes bytes straight into one buffer, several times faster than `JSONEncoder` on
/// Linux. The bodies' `Codable` declarations stay the schema: a body that writes itself
/// (`JSONWritable`) must write exactly what `JSONEncoder.api` encodes (keys sorted,
/// slashes unescaped), which `JSONWritableTests` checks byte for byte.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `"key":` (keys are the program's own constants: no escaping needed).
    public mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case UInt8(ascii: "\n"): raw("\\n")
        case UInt8(ascii: "\r"): raw("\\r")
        case UInt8(ascii: "\t"): raw("\\t")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        default:
            raw("\\u00")
            bytes.append(contentsOf: [byte].hexString.utf8)
        }
    }

    public mutating func integer(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }
    public mutating func integer(_ value: UInt64) { bytes.append(contentsOf: String(value).utf8) }
    public mutating func integer(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }
    public mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }
    public mutating func null() { raw("null") }

    /// A non-negative number with six decimals (`0.287123`); NaN, infinities and values
    /// beyond 9×10^12 are written as their nearest bound.
    public mutating func decimal6(_ value: Double) {
        let scaled = value.isNaN ? 0 : min(max(0, (value * 1_000_000).rounded()), 9e18)
        let micros = Int64(scaled)
        bytes.append(contentsOf: String(micros / 1_000_000).utf8)
        bytes.append(UInt8(ascii: "."))
        let fraction = String(micros % 1_000_000)
        for _ in fraction.count..<6 { bytes.append(UInt8(ascii: "0")) }
        bytes.append(contentsOf: fraction.utf8)
    }

    public mutating func time(_ value: Timestamp) { string(value.rfc3339) }

    /// `[a,b,...]`, each element written by `element`.
    public mutating func array<Element>(_ elements: [Element], _ element: (inout JSONWriter, Element) -> Void) {
        raw("[")
        for (index, item) in elements.enumerated() {
            if index > 0 { raw(",") }
            element(&self, item)
        }
        raw("]")
    }

    /// `"key":` for a key that is data (escaped like any string).
    public mutating func dynamicKey(_ name: String, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A JSON value, objects with their keys sorted as `JSONEncoder.api` sorts them.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .string(let string): self.string(string)
        case .number(let number): integer(number)
        // Rare (coordinates): the encoder's own rendering of a double, so the bytes match.
        case .double(let double):
            let encoded: Data? = try? JSONEncoder.api.encode(double)
            if let encoded { bytes.append(contentsOf: encoded) } else { null() }
        case .bool(let bool): self.bool(bool)
        case .null: null()
        case .array(let values): array(values) { $0.value($1) }
        case .object(let members):
            raw("{")
            for (index, key) in members.keys.sorted().enumerated() {
                dynamicKey(key, first: index == 0)
                self.value(members[key] ?? .null)
            }
            raw("}")
        }
    }
}
