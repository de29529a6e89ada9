import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird
import Verification

/// `/v1/admin/members/{id}/...` (seed 003 AdminService): change email, set password,
/// remove avatar, disable. Each is recorded with the admin as its actor.
struct AdminMemberRoutes: Sendable {
    let service: MembersService
    let auth: AdminAuth

    let commands: CommandRunner
    let clients: ClientGuard

    init(service: MembersService, auth: AdminAuth, commands: CommandRunner, clients: ClientGuard = ClientGuard()) {
        self.commands = commands
        self.clients = clients
        self.service = service
        self.auth = auth
    }

    struct EmailBody: Decodable { var email: String }
    struct PasswordBody: Decodable { var password: String }

    func register(on routes: RouteContext) {
        let admin: [Int: (String, JSONValue?)] = [
            204: ("Done", nil), 400: ("Invalid input", nil), 401: ("No admin token", nil), 403: ("Admin routes off", nil),
            404: ("Unknown member", nil),
        ]
        routes.add(
            .put, "/v1/admin/members/{id}/email", summary: "Set a member's email (verified).",
            request: JSONSchema.of(EmailBody.self), responses: admin, handler: setEmail)
        routes.add(
            .put, "/v1/admin/members/{id}/password", summary: "Set a member's password; its sessions are revoked.",
            request: JSONSchema.of(PasswordBody.self), responses: admin, handler: setPassword)
        routes.add(
            .delete, "/v1/admin/members/{id}/avatar", summary: "Remove a member's avatar.", responses: admin,
            handler: removeAvatar)
        routes.add(
            .delete, "/v1/admin/members/{id}", summary: "Disable a member; its sessions are revoked.", responses: admin,
            handler: disable)
    }

    @Sendable func setEmail(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await run(request, context) { id, body, metadata, record in
            let input = try JSONBody.decode(EmailBody.self, from: body)
            return try await service.adminSetEmail(id, email: input.email, metadata: metadata, idempotency: record)
        }
    }

    @Sendable func setPassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await run(request, context) { id, body, metadata, record in
            let input = try JSONBody.decode(PasswordBody.self, from: body)
            return try await service.adminSetPassword(id, password: input.password, metadata: metadata, idempotency: record)
        }
    }

    @Sendable func removeAvatar(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await run(request, context, requiresBody: false) { id, _, metadata, record in
            try await service.adminRemoveAvatar(id, metadata: metadata, idempotency: record)
        }
    }

    @Sendable func disable(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await run(request, context, requiresBody: false) { id, _, metadata, record in
            try await service.adminDisable(id, metadata: metadata, idempotency: record)
        }
    }

    func run(
        _ request: Request, _ context: AppRequestContext, requiresBody: Bool = true,
        _ action: (String, ByteBuffer, EventMetadata, IdempotencyRecord?) async throws -> CommandResult<Void>
    ) async throws -> Response {
        try auth.require(request)
        let id = try context.parameters.require("id")
        return try await commands.run(request, context: context, requiresBody: requiresBody) { body, metadata, idempotency in
            let stored = StoredResponse(status: 204, body: [])
            return try await action(id, body, metadata, try idempotency?.record(stored)).map { stored }
        }
    }
}
