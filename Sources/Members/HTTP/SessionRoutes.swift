import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird
import Verification

/// `/v1/sessions`: login (password, or phone with a `login` code), logout, own sessions.
struct SessionRoutes: Sendable {
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

    struct LoginBody: Decodable {
        var username, password, phone, verificationKey, memberID: String?
        enum CodingKeys: String, CodingKey {
            case username, password, phone, verificationKey = "verification_key", memberID = "member_id"
        }
    }

    struct SessionItem: Encodable {
        var id, method, createdAt, expiresAt: String
        var current: Bool
        enum CodingKeys: String, CodingKey { case id, method, current, createdAt = "created_at", expiresAt = "expires_at" }
    }

    func register(on routes: RouteContext) {
        routes.add(
            .post, "/v1/sessions", summary: "Log in with username and password, or with a phone and an approved login key.",
            request: JSONSchema.of(LoginBody.self),
            responses: [
                201: ("Session", MemberBodies.session), 401: ("Invalid credentials (whatever failed)", nil),
                409: ("The phone has several members: pick one with member_id", nil), 429: ("Account locked", nil),
            ],
            security: RouteSecurity.none, handler: login)
        routes.add(
            .delete, "/v1/sessions/current", summary: "Log out (end the caller's session).",
            responses: [204: ("Ended", nil), 401: ("No valid token", nil)], handler: logout)
        routes.add(
            .get, "/v1/sessions", summary: "The caller's active sessions.",
            responses: [200: ("Sessions", .properties(["items": ["type": "array", "items": .properties([
                "id": .string, "method": .string, "created_at": .dateTime, "expires_at": .dateTime, "current": .boolean,
            ])]])), 401: ("No valid token", nil)],
            handler: list)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try clients.admit(.login, request, context)
        return try await commands.run(request, context: context) { body, metadata, idempotency in
            let input = try JSONBody.decode(LoginBody.self, from: body)
            let encode = { @Sendable (grant: SessionGrant) in StoredResponse(status: .created, encoding: MemberBodies.Session(grant)) }
            let record = idempotency.recording(sealing: { _ in .server }, encode)
            let result: CommandResult<SessionGrant>
            if let username = input.username, let password = input.password {
                result = try await service.login(username: username, password: password, client: client, metadata: metadata, idempotency: record)
            } else if let phone = input.phone, let key = input.verificationKey {
                result = try await service.login(
                    phone: phone, verificationKey: key, memberID: input.memberID, metadata: metadata, idempotency: record)
            } else {
                throw APIError.validation(field: "username", "Send username and password, or phone and verification_key.")
            }
            return result.map(encode)
        }
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try await commands.run(request, context: context, requiresBody: false, session: true) {
            _, metadata, idempotency in
            let principal = try auth.principal(request)
            let stored = StoredResponse(status: 204, body: [])
            return try await service.logout(principal, metadata: metadata, idempotency: try idempotency?.record(stored)).map { stored }
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try auth.principal(request)
        let items = try service.sessions(principal).map {
            SessionItem(
                id: $0.id, method: $0.method, createdAt: $0.createdAt.rfc3339, expiresAt: $0.expiresAt.rfc3339,
                current: $0.id == principal.sessionID)
        }
        return StoredResponse(status: .ok, encoding: ["items": items]).response
    }
}
