/// Every domain's events in one place: how `logbook dump`, the admin event routes and the
/// SSE stream show any event, and how an audit checks that every event decodes.
///
/// Built from the codecs the domains list. An event whose type no domain declares, or
/// that its domain cannot decode, is shown with its payload in base64 and an `error`.
public struct EventRegistry: Sendable {
    public let codecs: [any EventDecoding]

    public init(_ codecs: [any EventDecoding]) { self.codecs = codecs }

    /// Every current type string, sorted.
    public var types: [String] { codecs.flatMap(\.types).sorted() }

    /// Throws when no domain declares `event`'s type or its domain cannot decode it.
    public func check(_ event: RecordedEvent) throws {
        for codec in codecs where codec.knows(event.type) {
            _ = try codec.json(event)
            return
        }
        throw EventDecodingError(type: event.type, reason: "no domain declares this type (position \(event.position))")
    }

    /// The event as JSON: position, stream, version, type, time, metadata and the payload
    /// decoded by its domain (hashes in hex, sealed parts by size, never a secret).
    public func json(_ event: RecordedEvent) -> JSONValue {
        var object: [String: JSONValue] = [
            "position": .count(event.position), "stream": .string(event.stream.rawValue), "version": .count(event.version),
            "type": .string(event.type), "time": .time(event.timestamp),
        ]
        do {
            try check(event)
            object["payload"] = try codecs.lazy.compactMap { try $0.json(event) }.first ?? .object([:])
        } catch {
            object["payload"] = ["base64": .string(Self.base64(event.payload))]
            object["error"] = .string("\(error)")
        }
        let m = event.metadata
        var metadata: [String: JSONValue] = [:]
        if let value = m.correlationID { metadata["correlation_id"] = .string(value) }
        if let value = m.causationID { metadata["causation_id"] = .string(value) }
        if let value = m.actor { metadata["actor"] = .string(value) }
        if let value = m.idempotencyKey { metadata["idempotency_key"] = .string(value) }
        if !metadata.isEmpty { object["metadata"] = .object(metadata) }
        return .object(object)
    }

    /// Types whose example does not survive encoding and decoding, across all domains.
    public func typesFailingRoundTrip() -> [String] { codecs.flatMap { $0.typesFailingRoundTrip() } }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for slot in 0..<4 {
                out.append(slot <= chunk.count ? alphabet[Int(value >> (18 - 6 * UInt32(slot)) & 63)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
