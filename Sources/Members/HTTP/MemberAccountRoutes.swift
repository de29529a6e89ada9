import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird
import Verification

/// `/v1/members/me/...`: password change, email binding and security question.
struct MemberAccountRoutes: Sendable {
    let service: MembersService
    let auth: MemberAuth

    let commands: CommandRunner
    let clients: ClientGuard

    init(service: MembersService, commands: CommandRunner, clients: ClientGuard = ClientGuard()) {
        self.commands = commands
        self.clients = clients
        self.service = service
        auth = MemberAuth(service)
    }

    struct PasswordChangeBody: Decodable {
        var currentPassword, newPassword: String
        enum CodingKeys: String, CodingKey { case currentPassword = "current_password", newPassword = "new_password" }
    }
    struct EmailBody: Decodable {
        var email: String
        var locale: String?
    }
    struct ConfirmBody: Decodable {
        var verificationKey, code: String
        enum CodingKeys: String, CodingKey { case code, verificationKey = "verification_key" }
    }
    struct QuestionBody: Decodable { var question, answer: String }

    func register(on routes: RouteContext) {
        routes.add(
            .put, "/v1/members/me/password", summary: "Change the password: a new token; every other session is revoked.",
            request: JSONSchema.of(PasswordChangeBody.self),
            responses: [
                200: ("New token", .properties(["token": .string, "expires_at": .dateTime])), 400: ("Weak password", nil),
                401: ("No valid token or wrong current password", nil), 429: ("Locked", nil),
            ],
            handler: changePassword)
        routes.add(
            .post, "/v1/members/me/email", summary: "Send a bind_email code to an address.",
            request: JSONSchema.of(EmailBody.self),
            responses: [202: ("Code sent", MemberBodies.codeSent), 400: ("Invalid email", nil), 401: ("No valid token", nil), 429: ("Rate limited", nil)],
            handler: bindEmail)
        routes.add(
            .post, "/v1/members/me/email/confirm", summary: "Confirm the email with its code.",
            request: JSONSchema.of(ConfirmBody.self),
            responses: [200: ("Me, email verified", MemberBodies.me), 401: ("No valid token", nil), 404: ("No such binding", nil), 422: ("Wrong code", nil)],
            handler: confirmEmail)
        routes.add(
            .put, "/v1/members/me/security-question", summary: "Set the security question (the answer is stored hashed).",
            request: JSONSchema.of(QuestionBody.self),
            responses: [204: ("Set", nil), 400: ("Invalid input", nil), 401: ("No valid token", nil)],
            handler: securityQuestion)
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try clients.admit(.login, request, context)
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let input = try JSONBody.decode(PasswordChangeBody.self, from: body)
            let encode = { @Sendable (grant: SessionGrant) in
                StoredResponse(status: .ok, encoding: ["token": grant.token, "expires_at": grant.expiresAt.rfc3339])
            }
            let result = try await service.changePassword(
                principal, current: input.currentPassword, new: input.newPassword, client: client, metadata: metadata,
                idempotency: idempotency.recording(sealing: { _ in .server }, encode))
            return result.map(encode)
        }
    }

    @Sendable func bindEmail(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try clients.admit(.codeSend, request, context)
        let acceptLanguage = request.headers[.acceptLanguage]
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let input = try JSONBody.decode(EmailBody.self, from: body)
            let locale = try MessageLocale.requested(field: input.locale, acceptLanguage: acceptLanguage)
            let encode = { @Sendable (sent: MembersService.CodeSent) in StoredResponse(status: .accepted, encoding: MemberBodies.CodeSent(sent)) }
            let result = try await service.requestEmailBinding(
                principal, email: input.email, locale: locale, metadata: metadata, idempotency: idempotency.recording(encode))
            return result.map(encode)
        }
    }

    @Sendable func confirmEmail(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let input = try JSONBody.decode(ConfirmBody.self, from: body)
            let encode = { @Sendable (view: MemberView) in StoredResponse(status: .ok, encoding: MemberBodies.Me(view)) }
            let result = try await service.confirmEmail(
                principal, verificationKey: input.verificationKey, code: input.code, metadata: metadata,
                idempotency: idempotency.recording(sealing: { _ in .member(principal.memberID) }, encode))
            return result.map(encode)
        }
    }

    @Sendable func securityQuestion(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let input = try JSONBody.decode(QuestionBody.self, from: body)
            let stored = StoredResponse(status: 204, body: [])
            let result = try await service.setSecurityQuestion(
                principal, question: input.question, answer: input.answer, client: try clients.admit(nil, request, context),
                metadata: metadata, idempotency: try idempotency?.record(stored))
            return result.map { stored }
        }
    }
}
