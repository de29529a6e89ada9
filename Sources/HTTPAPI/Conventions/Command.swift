public import EventSourcing
import Foundation
public import Hummingbird
import Logging
public import Verification

/// What a command handler produced: a fresh response, or the stored bytes of an earlier
/// one with the same idempotency key (which `Command.run` checks and decodes).
public enum CommandOutcome: Sendable {
    case fresh(StoredResponse)
    case replayed([UInt8])
}

/// The shape every command route shares: read the body (limits, media type), honour
/// `Idempotency-Key` (replay before deciding; store with the events), stamp metadata.
public enum Command {
    public static func run(
        _ request: Request, context: some RequestContext, log: any EventLog, requiresBody: Bool = true,
        scope: String? = nil, sealing: CodeSecrets? = nil,
        _ body: (ByteBuffer, EventMetadata, Idempotency?) async throws -> CommandOutcome
    ) async throws -> Response {
        var request = request
        let bytes = requiresBody ? try await request.jsonBody(context: context) : ByteBuffer()
        let idempotency = try Idempotency(request: request, body: bytes, scope: scope, sealing: sealing)
        if let idempotency, let replay = try await idempotency.replay(from: log) { return replay }
        let metadata = EventMetadata(
            correlationID: context.logger[metadataKey: "hb.request.id"]?.description,
            idempotencyKey: request.headers[.idempotencyKey])
        switch try await body(bytes, metadata, idempotency) {
        case .fresh(let stored):
            return stored.response
        case .replayed(let stored):
            guard let idempotency else { throw APIError(.conflict, "conflict", "The request was already applied.") }
            return try idempotency.replay(stored)
        }
    }
}

extension StoredResponse {
    /// A JSON response of `value` (these bodies always encode).
    init(status: HTTPResponse.Status, encoding value: some Encodable) {
        self.init(status: status.code, body: (try? Array(JSONEncoder.api.encode(value))) ?? [])
    }
}

