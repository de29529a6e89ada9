import HTTPTypes
import ServerKit
import EventSourcing
import Foundation
import Hummingbird

/// `/v1/captchas` (seed 004): draw an image captcha, check it once.
struct CaptchaRoutes: Sendable {
    let service: CaptchaService
    let devAnswers: DevCaptchaAnswers?

    let commands: CommandRunner
    let clients: ClientGuard

    init(service: CaptchaService, devAnswers: DevCaptchaAnswers?, commands: CommandRunner, clients: ClientGuard = ClientGuard()) {
        self.commands = commands
        self.clients = clients
        self.service = service
        self.devAnswers = devAnswers
    }

    struct Issued: Encodable {
        var id, image, expiresAt: String
        enum CodingKeys: String, CodingKey { case id, image, expiresAt = "expires_at" }
    }

    struct CheckBody: Decodable { var answer: String }

    static func response(_ drawn: CaptchaService.Drawn) -> StoredResponse {
        StoredResponse(status: .created, encoding: Issued(
            id: drawn.id, image: "data:image/png;base64," + Data(drawn.png).base64EncodedString(),
            expiresAt: drawn.expiresAt.rfc3339))
    }

    static func checkResponse(_ correct: Bool) -> StoredResponse {
        guard correct else {
            let error = APIError(.unprocessableContent, "answer_incorrect", "The answer is not right; draw a new captcha.")
            return StoredResponse(status: .unprocessableContent, encoding: error.body)
        }
        return StoredResponse(status: .ok, encoding: ["status": "approved"])
    }

    func register(on routes: RouteContext) {
        let service = self.service
        routes.add(
            .post, "/v1/captchas", summary: "Draw an image captcha (PNG, 4-6 characters, 120 s).",
            responses: [201: ("Drawn", .properties([
                "id": .string, "image": ["type": "string", "description": "data:image/png;base64,..."],
                "expires_at": .dateTime,
            ]))]
        ) { request, context in
            try await commands.run(request, context: context, requiresBody: false) { _, metadata, idempotency in
                var record: (@Sendable (CaptchaService.Drawn) throws -> IdempotencyRecord)?
                if let idempotency { record = { try idempotency.record(Self.response($0)) } }
                return try await service.issue(metadata: metadata, idempotency: record).map(Self.response)
            }
        }
        routes.add(
            .post, "/v1/captchas/{id}/check", summary: "Check a captcha's answer (case-insensitive), once.",
            request: JSONSchema.of(CheckBody.self),
            responses: [
                200: ("Approved", .properties(["status": .stringEnum(["approved"])])),
                404: ("Unknown or already checked", nil), 410: ("Expired", nil), 422: ("Wrong answer", nil),
            ]
        ) { request, context in
            let id = try context.parameters.entityID("id")
            return try await commands.run(request, context: context) { body, metadata, idempotency in
                let input = try JSONBody.decode(CheckBody.self, from: body)
                var record: (@Sendable (Bool) throws -> IdempotencyRecord)?
                if let idempotency { record = { try idempotency.record(Self.checkResponse($0)) } }
                return try await service.check(id: id, answer: input.answer, metadata: metadata, idempotency: record)
                    .map(Self.checkResponse)
            }
        }
        if let devAnswers {
            routes.add(
            .get, "/v1/dev/captchas/{id}", summary: "Dev mode: a captcha's answer.",
                responses: [200: ("Answer", .properties(["answer": .string])), 404: ("Unknown", nil)]
            ) { _, context in
                guard let answer = devAnswers.answer(for: try context.parameters.require("id")) else {
                    throw APIError(.notFound, "not_found", "No such captcha.")
                }
                return StoredResponse(status: .ok, encoding: ["answer": answer]).response
            }
        }
    }
}
