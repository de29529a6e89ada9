import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird
import Verification

/// `/v1/password-resets`: start a reset by username, email or phone (the same answer
/// whether or not an account exists), and confirm it with the code.
struct PasswordResetRoutes: Sendable {
    let service: MembersService

    let commands: CommandRunner
    let clients: ClientGuard

    init(service: MembersService, commands: CommandRunner, clients: ClientGuard = ClientGuard()) {
        self.service = service
        self.commands = commands
        self.clients = clients
    }

    struct RequestBody: Decodable { var username, email, phone, locale: String? }
    struct ConfirmBody: Decodable {
        var verificationKey, code, newPassword: String
        var memberID: String?
        enum CodingKeys: String, CodingKey {
            case code, verificationKey = "verification_key", newPassword = "new_password", memberID = "member_id"
        }
    }

    func register(on routes: RouteContext) {
        routes.add(
            .post, "/v1/password-resets", summary: "Start a password reset (never tells whether the account exists).",
            request: JSONSchema.of(RequestBody.self),
            responses: [202: ("Code sent if the account exists", MemberBodies.codeSent), 400: ("Malformed identifier", nil)],
            handler: start)
        routes.add(
            .post, "/v1/password-resets/confirm", summary: "Set a new password with the reset code; every session is revoked.",
            request: JSONSchema.of(ConfirmBody.self),
            responses: [
                204: ("Password set", nil), 400: ("Weak password", nil), 404: ("Unknown reset", nil), 409: ("Pick a member", nil),
                410: ("Expired", nil), 422: ("Wrong code", nil), 429: ("Too many attempts", nil),
            ],
            handler: confirm)
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try clients.admit(.reset, request, context)
        let acceptLanguage = request.headers[.acceptLanguage]
        return try await commands.run(request, context: context) { body, metadata, idempotency in
            let input = try JSONBody.decode(RequestBody.self, from: body)
            let locale = try MessageLocale.requested(field: input.locale, acceptLanguage: acceptLanguage)
            let given = [input.username.map(MembersService.ResetIdentifier.username), input.email.map(MembersService.ResetIdentifier.email),
                         input.phone.map(MembersService.ResetIdentifier.phone)].compactMap { $0 }
            guard given.count == 1, let identifier = given.first else {
                throw APIError.validation(field: "username", "Send exactly one of username, email or phone.")
            }
            let encode = { @Sendable (sent: MembersService.CodeSent) in StoredResponse(status: .accepted, encoding: MemberBodies.CodeSent(sent)) }
            let result = try await service.requestPasswordReset(
                identifier, locale: locale, metadata: metadata, idempotency: idempotency.recording(encode))
            return result.map(encode)
        }
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try clients.admit(.login, request, context)
        return try await commands.run(request, context: context) { body, metadata, idempotency in
            let input = try JSONBody.decode(ConfirmBody.self, from: body)
            let stored = StoredResponse(status: 204, body: [])
            let result = try await service.confirmPasswordReset(
                resetID: input.verificationKey, code: input.code, newPassword: input.newPassword, memberID: input.memberID, client: client,
                metadata: metadata, idempotency: try idempotency?.record(stored))
            return result.map { stored }
        }
    }
}
