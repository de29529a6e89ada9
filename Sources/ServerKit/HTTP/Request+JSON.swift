import Foundation
public import Hummingbird

extension Request {
    /// The body, at most the context's upload size (413 beyond), with its media type checked.
    public mutating func jsonBody(context: some RequestContext) async throws -> ByteBuffer {
        if let type = headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "Send application/json.")
        }
        do {
            return try await collectBody(upTo: context.maxUploadSize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "payload_too_large", "The body is larger than 1 MiB.")
        }
    }
}

extension Request {
    /// The integer query parameter `name`: `fallback` when absent (400 when there is none),
    /// 400 `validation_failed` naming it when it is not an integer in `range`.
    /// The default range stops at `Int64.max`, so `value + 1` and conversions to `Int`
    /// never overflow in a handler.
    public func queryInteger(_ name: String, default fallback: UInt64? = nil, range: ClosedRange<UInt64> = 0...UInt64(Int64.max))
        throws -> UInt64
    {
        guard let text = uri.queryParameters.get(name) else {
            guard let fallback else { throw APIError.validation(field: name, "\(name) is required.") }
            return fallback
        }
        guard let value = UInt64(text), range.contains(value) else {
            throw APIError.validation(field: name, "\(name) must be an integer in \(range.lowerBound)...\(range.upperBound).")
        }
        return value
    }
}

/// Decodes request bodies with field-level errors: malformed JSON is 400 `invalid_json`;
/// a missing field or a wrong type is 400 `validation_failed` naming the field.
public enum JSONBody {
    public static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        let data = Data(buffer.readableBytesView)
        guard !data.isEmpty else { throw APIError.invalidJSON("The body is empty; send a JSON object.") }
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw APIError.invalidJSON()
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError.validation(field: path(context.codingPath + [key]), "\(path(context.codingPath + [key])) is required.")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = path(context.codingPath)
            throw field.isEmpty
                ? APIError.invalidJSON("The body must be a JSON object.")
                : APIError.validation(field: field, "\(field) has the wrong type.")
        } catch let DecodingError.dataCorrupted(context) {
            let field = path(context.codingPath)
            throw field.isEmpty ? APIError.invalidJSON() : APIError.validation(field: field, "\(field) is invalid.")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
