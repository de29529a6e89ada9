import Crypto
public import EventSourcing
public import Foundation
public import Hummingbird
import HTTPTypes

/// API.md's `Idempotency-Key`: the first response to a command is stored with its events
/// (same transaction) under the route and the client's key; a retry with the same body
/// gets that response back and appends nothing; another body is 422.
///
/// "The same body" means the same JSON: a retry whose body was serialized again, with
/// its keys in another order or other whitespace, is the same request. The stored
/// fingerprint is keyed with a server secret, since bodies hold passwords and a plain
/// hash of a guessable body could be reversed by anyone who reads the log.
public struct Idempotency: Sendable {
    /// `METHOD /path|client-key`, or `METHOD /path|s:<token hash>|client-key` on routes
    /// that need a session.
    public let scopedKey: String
    /// HMAC-SHA-256 (the vault's fingerprint key) of method, path and the canonical body.
    let requestHash: [UInt8]
    /// What the fingerprint is taken over: method and path, then the body (kept to check an
    /// answer stored before the fingerprint was keyed, only when one does not match).
    let route: String
    let body: ByteBuffer
    let vault: AnswerVault
    let now: Timestamp

    /// Reads the header; nil without one, 400 when it is not 1-128 visible ASCII characters.
    /// `session` (a hash of the bearer token) scopes the key to the caller's session, so one
    /// caller's key never replays another's answer, and the answer can be replayed before
    /// the token is judged (a command that ended its own session, retried, gets its answer).
    public init?(request: Request, body: ByteBuffer, session: String?, vault: AnswerVault, now: Timestamp) throws {
        guard let key = try Self.key(of: request) else { return nil }
        let route = "\(request.method.rawValue) \(request.uri.path)"
        scopedKey = session.map { "\(route)|s:\($0)|\(key)" } ?? "\(route)|\(key)"
        (self.route, self.body, self.vault, self.now) = (route, body, vault, now)
        var keyed = HMAC<SHA256>(key: vault.fingerprintKey)
        keyed.update(data: Array(route.utf8))
        keyed.update(data: [0])
        keyed.update(data: Self.canonical(Array(body.readableBytesView)))
        requestHash = Array(keyed.finalize())
    }

    /// The request's `Idempotency-Key`; nil without one, 400 when it is not 1-128 visible
    /// ASCII characters (checked before a long body is read).
    public static func key(of request: Request) throws -> String? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard (1...128).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIError.validation(field: "Idempotency-Key", "Idempotency-Key must be 1-128 visible ASCII characters.")
        }
        return key
    }

    /// What answers stored before the fingerprint was keyed hold: SHA-256 of method, path
    /// and the body's bytes (still matched, so a retry across an upgrade is replayed).
    var legacyHash: [UInt8] {
        var legacy = SHA256()
        legacy.update(data: Array(route.utf8))
        legacy.update(data: [0])
        legacy.update(data: Array(body.readableBytesView))
        return Array(legacy.finalize())
    }

    /// A JSON body with its object keys sorted and no insignificant whitespace; any other
    /// body (empty, not JSON, an upload's bytes) as it is.
    public static func canonical(_ body: [UInt8]) -> [UInt8] {
        guard let first = body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
            let value = try? JSONSerialization.jsonObject(with: Data(body)),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return body }
        return Array(data)
    }

    /// The record to append with the command's events; `sealing` says under which key its
    /// body rests (a token: the server's; personal data: the member's).
    public func record(_ response: StoredResponse, sealing: AnswerVault.Sealing = .plain) throws -> IdempotencyRecord {
        var writer = BinaryWriter()
        writer.write(requestHash)
        writer.write(UInt64(response.status))
        writer.write(try vault.seal(response.body, as: sealing))
        return IdempotencyRecord(key: scopedKey, result: writer.bytes, storedAt: now)
    }

    /// The first response, if this key was used before; 422 if it was used with another body.
    public func replay(from log: any EventLog) async throws -> Response? {
        guard let stored = try await log.storedResult(forIdempotencyKey: scopedKey) else { return nil }
        return try replay(stored)
    }

    /// Rebuilds the stored response, checking it answered the same request. An answer
    /// sealed for a member who was deleted since is gone: 404.
    public func replay(_ stored: [UInt8]) throws -> Response {
        let (hash, status, body) = try BinaryReader.read(stored) { r in
            (try r.readBytes(), try r.readUInt64(), try r.readBytes())
        }
        guard hash == requestHash || hash == legacyHash else {
            throw APIError(.unprocessableContent, "idempotency_key_reused", "This Idempotency-Key was used with another request.")
        }
        do {
            return StoredResponse(status: Int(status), body: try vault.open(body)).response
        } catch is AnswerVault.Erased {
            throw APIError(.notFound, "not_found", "The member this answer was for is deleted, and the answer with them.")
        }
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
    public static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension Optional where Wrapped == Idempotency {
    /// The closure a domain service calls with its answer to get the record to store with
    /// its events (nil without an `Idempotency-Key`). `sealing` picks the key per answer.
    public func recording<T>(
        sealing: @escaping @Sendable (T) -> AnswerVault.Sealing = { _ in .plain }, _ encode: @escaping @Sendable (T) -> StoredResponse
    ) -> (@Sendable (T) throws -> IdempotencyRecord)? {
        switch self {
        case .none: return nil
        case .some(let idempotency): return { try idempotency.record(encode($0), sealing: sealing($0)) }
        }
    }
}
