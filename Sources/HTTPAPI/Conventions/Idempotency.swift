import Crypto
public import EventSourcing
import Foundation
public import Hummingbird
import HTTPTypes
public import Verification

/// API.md's `Idempotency-Key`: the first response to a command is stored with its events
/// (same transaction) under the route and the client's key; a retry with the same body
/// gets that response back and appends nothing; another body is 422.
public struct Idempotency: Sendable {
    /// `METHOD /path|client-key`.
    public let scopedKey: String
    /// SHA-256 of method, path and body.
    let requestHash: [UInt8]
    /// Seals stored bodies (responses that carry a bearer token must not rest in plaintext).
    let sealing: CodeSecrets?

    /// Reads the header; nil without one, 400 when it is not 1-128 visible ASCII characters.
    /// `scope` (the caller's member id on authenticated routes) keeps one caller's key
    /// from replaying another's response; `sealing` stores the response body sealed.
    public init?(request: Request, body: ByteBuffer, scope: String? = nil, sealing: CodeSecrets? = nil) throws {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard (1...128).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIError.validation(field: "Idempotency-Key", "Idempotency-Key must be 1-128 visible ASCII characters.")
        }
        let route = "\(request.method.rawValue) \(request.uri.path)"
        scopedKey = scope.map { "\(route)|\($0)|\(key)" } ?? "\(route)|\(key)"
        self.sealing = sealing
        var hasher = SHA256()
        hasher.update(data: Array(route.utf8))
        hasher.update(data: [0])
        hasher.update(data: Array(body.readableBytesView))
        requestHash = Array(hasher.finalize())
    }

    /// The record to append with the command's events.
    public func record(_ response: StoredResponse) -> IdempotencyRecord {
        var writer = BinaryWriter()
        writer.write(requestHash)
        writer.write(UInt64(response.status))
        var random = SystemRandomNumberGenerator()
        writer.write(sealing.flatMap { try? $0.seal(response.body, random: &random) } ?? response.body)
        return IdempotencyRecord(key: scopedKey, result: writer.bytes)
    }

    /// The first response, if this key was used before; 422 if it was used with another body.
    public func replay(from log: any EventLog) async throws -> Response? {
        guard let stored = try await log.storedResult(forIdempotencyKey: scopedKey) else { return nil }
        return try replay(stored)
    }

    /// Rebuilds the stored response, checking it answered the same request.
    public func replay(_ stored: [UInt8]) throws -> Response {
        let (hash, status, body) = try BinaryReader.read(stored) { r in
            (try r.readBytes(), try r.readUInt64(), try r.readBytes())
        }
        guard hash == requestHash else {
            throw APIError(.unprocessableContent, "idempotency_key_reused", "This Idempotency-Key was used with another request.")
        }
        let opened = try sealing.map { try $0.open(body) } ?? body
        return StoredResponse(status: Int(status), body: opened).response
    }
}

extension HTTPField.Name {
    /// API.md's idempotency header.
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}

/// A response as stored for idempotent replays: a status and a JSON body (empty for 204).
public struct StoredResponse: Sendable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    public var response: Response {
        let status = HTTPResponse.Status(code: status)
        guard !body.isEmpty else { return Response(status: status) }
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension JSONEncoder {
    /// The API's encoder: stable key order, no escaped slashes.
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension Optional where Wrapped == Idempotency {
    /// The closure a domain service calls with its answer to get the record to store with
    /// its events (nil without an `Idempotency-Key`).
    func recording<T>(_ encode: @escaping @Sendable (T) -> StoredResponse) -> (@Sendable (T) -> IdempotencyRecord)? {
        switch self {
        case .none: return nil
        case .some(let idempotency): return { idempotency.record(encode($0)) }
        }
    }
}
