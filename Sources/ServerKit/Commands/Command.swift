import Crypto
public import EventSourcing
import Foundation
public import Hummingbird
import Logging

/// What a command handler produced: a fresh response, or the stored bytes of an earlier
/// one with the same idempotency key (which `CommandRunner.run` checks and decodes).
public enum CommandOutcome: Sendable {
    case fresh(StoredResponse)
    case replayed([UInt8])
}

/// The shape every command route shares: read the body (limits, media type), honour
/// `Idempotency-Key` (replay before deciding; store with the events), stamp metadata.
public struct CommandRunner: Sendable {
    public let log: any EventLog
    public let vault: AnswerVault
    let clock: @Sendable () -> Timestamp

    public init(log: any EventLog, vault: AnswerVault, clock: @escaping @Sendable () -> Timestamp) {
        self.log = log
        self.vault = vault
        self.clock = clock
    }

    /// Runs `body` as a command. With `session`, the route needs a member token: its key is
    /// scoped to the bearer token (a hash of it), and a stored answer is replayed before the
    /// token is judged, so a command that ended its own session (a password change, a
    /// logout, a deletion) still gets its first answer back when retried.
    public func run(
        _ request: Request, context: some RequestContext, requiresBody: Bool = true, session: Bool = false,
        _ body: (ByteBuffer, EventMetadata, Idempotency?) async throws -> CommandOutcome
    ) async throws -> Response {
        var request = request
        let bytes = requiresBody ? try await request.jsonBody(context: context) : ByteBuffer()
        // The scope is a hash: only worth computing for a request that carries a key.
        let scope = session && request.headers[.idempotencyKey] != nil ? Self.sessionScope(request) : nil
        let idempotency = try Idempotency(request: request, body: bytes, session: scope, vault: vault, now: clock())
        if let idempotency, let replay = try await idempotency.replay(from: log) { return replay }
        let metadata = EventMetadata(
            correlationID: context.requestID,
            idempotencyKey: request.headers[.idempotencyKey])
        switch try await body(bytes, metadata, idempotency) {
        case .fresh(let stored):
            return stored.response
        case .replayed(let stored):
            guard let idempotency else { throw APIError(.conflict, "conflict", "The request was already applied.") }
            return try idempotency.replay(stored)
        }
    }

    /// The request's `Idempotency-Key` for a route whose body is not read into memory (an
    /// upload streamed to disk): the fingerprint is taken over `identity`, what tells two
    /// bodies apart (its type and hash), and the key is scoped to the bearer token like
    /// `run(session: true)`'s. Nil without a key.
    public func idempotency(_ request: Request, identity: [UInt8]) throws -> Idempotency? {
        guard try Idempotency.key(of: request) != nil else { return nil }
        return try Idempotency(
            request: request, body: ByteBuffer(bytes: identity), session: Self.sessionScope(request), vault: vault, now: clock())
    }

    /// A hash of the bearer token (no token: a scope no token has).
    static func sessionScope(_ request: Request) -> String {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return "none" }
        return SHA256.hash(data: Array(header.dropFirst(7).utf8)).prefix(16).hexString
    }
}

extension StoredResponse {
    /// A JSON response of `value` (these bodies always encode); a body that writes itself
    /// (`JSONWritable`) is written with `JSONWriter`, to the same bytes.
    public init(status: HTTPResponse.Status, encoding value: some Encodable) {
        if let writable = value as? any JSONWritable {
            self.init(status: status.code, body: writable.jsonBytes)
        } else {
            self.init(status: status.code, body: (try? Array(JSONEncoder.api.encode(value))) ?? [])
        }
    }
}

extension CommandResult {
    /// The outcome to answer with: the fresh response, or the stored one to replay.
    public func map(_ encode: (T) throws -> StoredResponse) rethrows -> CommandOutcome {
        switch self {
        case .done(let value): .fresh(try encode(value))
        case .replayed(let stored): .replayed(stored)
        }
    }
}
