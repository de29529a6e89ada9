import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird

/// `/v1/verifications`: send, read, check and destroy codes (API.md, seeds 000 and 004).
struct VerificationRoutes: Sendable {
    let service: VerificationService

    let commands: CommandRunner
    let clients: ClientGuard

    init(service: VerificationService, commands: CommandRunner, clients: ClientGuard = ClientGuard()) {
        self.service = service
        self.commands = commands
        self.clients = clients
    }

    struct SendBody: Decodable {
        var channel: String
        var to: String
        var operation: String
        var ttlSeconds: Int64?
        var locale: String?
        enum CodingKeys: String, CodingKey { case channel, to, operation, ttlSeconds = "ttl_seconds", locale }
    }

    struct SentBody: Codable {
        var key, to, operation, status, expiresAt, resendAfter: String
        var channel: Destination.Channel
        enum CodingKeys: String, CodingKey {
            case key, channel, to, operation, status, expiresAt = "expires_at", resendAfter = "resend_after"
        }
        init(_ sent: VerificationService.Sent) {
            (key, channel, to, operation, status) = (sent.key.rawValue, sent.channel, sent.maskedTo, sent.operation, "pending")
            (expiresAt, resendAfter) = (sent.expiresAt.rfc3339, sent.resendAfter.rfc3339)
        }
    }

    struct StatusBody: Codable {
        var key, expiresAt: String
        var status: CodeState.Status
        var attemptsLeft: Int
        var deliveryStatus: DeliveryStatus
        enum CodingKeys: String, CodingKey {
            case key, status, expiresAt = "expires_at", attemptsLeft = "attempts_left", deliveryStatus = "delivery_status"
        }
    }

    struct CheckBody: Decodable { var code: String }

    static var sentSchema: JSONValue { JSONSchema.of(SentBody.self) }
    static var statusSchema: JSONValue {
        JSONSchema.of(StatusBody.self).describing(
            "delivery_status",
            "Where the code's message stands: queued (not sent yet, or waiting to retry), sent (a gateway accepted it), "
                + "failed (given up after \(DeliveryPolicy.maxAttempts) attempts).")
    }
    static var sendSchema: JSONValue {
        JSONSchema.of(SendBody.self).describing(
            "locale",
            "The message's language: zh-CN or en (any tag of those languages, such as en-GB, selects it; another "
                + "is 400 validation_failed). Without it, the Accept-Language header chooses (q-values honoured), else zh-CN.")
    }

    func register(on routes: RouteContext) {
        routes.add(
            .post, "/v1/verifications", summary: "Send a verification code (sms, email or call), its message in zh-CN or en.",
            request: Self.sendSchema,
            responses: [201: ("Sent", Self.sentSchema), 400: ("Invalid input", nil), 429: ("Rate limited", nil)],
            handler: send)
        routes.add(
            .get, "/v1/verifications/{key}", summary: "A code's status and its message's delivery status (never the code).",
            responses: [200: ("Status (delivery_status: queued, sent or failed)", Self.statusSchema), 404: ("Unknown or destroyed", nil)],
            handler: status)
        routes.add(
            .post, "/v1/verifications/{key}/check", summary: "Check a code.",
            request: JSONSchema.of(CheckBody.self),
            responses: [
                200: ("Approved", .properties(["status": .stringEnum(["approved"])])), 404: ("Unknown", nil),
                409: ("Already used", nil), 410: ("Expired or canceled", nil), 422: ("Wrong code", nil),
                429: ("Too many attempts", nil),
            ],
            handler: check)
        routes.add(
            .delete, "/v1/verifications/{key}", summary: "Destroy a code (seed 000 DestroyVerifyCodeByKey).",
            responses: [204: ("Destroyed", nil), 404: ("Unknown or destroyed", nil)],
            handler: destroy)
    }

    @Sendable func send(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try clients.admit(.codeSend, request, context)
        let acceptLanguage = request.headers[.acceptLanguage]
        return try await commands.run(request, context: context) { body, metadata, idempotency in
            try await sendCommand(body, metadata, idempotency, acceptLanguage: acceptLanguage)
        }
    }

    func sendCommand(
        _ body: ByteBuffer, _ metadata: EventMetadata, _ idempotency: Idempotency?, acceptLanguage: String? = nil
    ) async throws -> CommandOutcome {
        let input = try JSONBody.decode(SendBody.self, from: body)
        let locale = try MessageLocale.requested(field: input.locale, acceptLanguage: acceptLanguage)
        var record: (@Sendable (VerificationService.Sent) throws -> IdempotencyRecord)?
        if let idempotency {
            record = { sent in try idempotency.record(StoredResponse(status: .created, encoding: SentBody(sent))) }
        }
        let result = try await service.send(
            channel: input.channel, to: input.to, operation: input.operation, ttlSeconds: input.ttlSeconds, locale: locale,
            metadata: metadata, idempotency: record)
        return result.map { StoredResponse(status: .created, encoding: SentBody($0)) }
    }

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let key = try context.parameters.entityID("key")
        guard let status = service.status(key: key) else { throw VerificationError.notFound }
        let body = StatusBody(
            key: key.rawValue, expiresAt: status.expiresAt.rfc3339, status: status.status, attemptsLeft: status.attemptsLeft,
            deliveryStatus: status.delivery)
        return StoredResponse(status: .ok, encoding: body).response
    }

    @Sendable func check(_ request: Request, context: AppRequestContext) async throws -> Response {
        let key = try context.parameters.entityID("key")
        return try await commands.run(request, context: context) { body, metadata, idempotency in
            try await checkCommand(key: key, body, metadata, idempotency)
        }
    }

    func checkCommand(
        key: EntityID, _ body: ByteBuffer, _ metadata: EventMetadata, _ idempotency: Idempotency?
    ) async throws -> CommandOutcome {
        let input = try JSONBody.decode(CheckBody.self, from: body)
        var record: (@Sendable (VerificationService.Checked) throws -> IdempotencyRecord)?
        if let idempotency {
            record = { checked in try idempotency.record(Self.checkResponse(checked)) }
        }
        let result = try await service.check(key: key, code: input.code, metadata: metadata, idempotency: record)
        return result.map(Self.checkResponse)
    }

    @Sendable func destroy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let key = try context.parameters.entityID("key")
        return try await commands.run(request, context: context, requiresBody: false) {
            _, metadata, idempotency in
            let stored = StoredResponse(status: 204, body: [])
            let result = try await service.destroy(key: key, metadata: metadata, idempotency: try idempotency?.record(stored))
            return result.map { stored }
        }
    }

    static func checkResponse(_ checked: VerificationService.Checked) -> StoredResponse {
        switch checked {
        case .approved:
            return StoredResponse(status: .ok, encoding: ["status": "approved"])
        case .incorrect(let attemptsLeft):
            var error = APIError(.unprocessableContent, "code_incorrect", "The code is not right.")
            error.attemptsLeft = attemptsLeft
            return StoredResponse(status: .unprocessableContent, encoding: error.body)
        }
    }
}

