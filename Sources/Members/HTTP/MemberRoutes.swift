import HTTPTypes
import ServerKit
import EventSourcing
import Foundation
import Hummingbird
import Verification

/// `/v1/members`: registration, display-name check, me, profile, public profiles, search
/// and account deletion (API.md Members; seeds 001, 002 UserService, 003).
struct MemberRoutes: Sendable {
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

    struct RegisterBody: Decodable {
        var username, password, displayName: String
        var phone, phoneVerificationKey, email: String?
        enum CodingKeys: String, CodingKey {
            case username, password, phone, email, displayName = "display_name", phoneVerificationKey = "phone_verification_key"
        }
    }

    struct PatchBody: Decodable {
        var displayName, gender, avatarURL: String?
        enum CodingKeys: String, CodingKey { case gender, displayName = "display_name", avatarURL = "avatar_url" }
    }

    struct PasswordBody: Decodable { var password: String }

    func register(on routes: RouteContext) {
        routes.add(
            .post, "/v1/members", summary: "Register a member (by username and password, optionally with a verified phone).",
            request: JSONSchema.of(RegisterBody.self),
            responses: [
                201: ("Registered, with a session token", JSONSchema.of(MemberBodies.Registered.self)),
                400: ("Invalid input, weak password or verification required", nil),
                409: ("Username or display name taken, or phone member limit", nil),
            ],
            handler: registerMember)
        routes.add(
            .get, "/v1/members/display-names/{name}", summary: "Whether a display name is available (seed 003 ValidateDisplayName).",
            responses: [200: ("Availability", .properties(["available": .boolean, "reason": .string]))],
            handler: displayName)
        routes.add(
            .get, "/v1/members/me", summary: "The caller's member.",
            responses: [200: ("Me", MemberBodies.me), 401: ("No valid token", nil)], handler: me)
        routes.add(
            .patch, "/v1/members/me", summary: "Change display name, gender or avatar URL.",
            request: JSONSchema.of(PatchBody.self),
            responses: [200: ("Me", MemberBodies.me), 400: ("Invalid input", nil), 401: ("No valid token", nil), 409: ("Display name taken", nil)],
            handler: patch)
        routes.add(
            .delete, "/v1/members/me", summary: "Delete the caller's account (crypto-shredding its personal data).",
            request: JSONSchema.of(PasswordBody.self),
            responses: [204: ("Deleted", nil), 401: ("No valid token or wrong password", nil), 429: ("Locked", nil)],
            handler: deleteMe)
        routes.add(
            .get, "/v1/members/{id}", summary: "A member's public profile.",
            responses: [200: ("Public member", MemberBodies.publicMember), 404: ("Unknown, disabled or deleted", nil)],
            handler: publicProfile)
        routes.add(
            .get, "/v1/members", summary: "Search members by display name or username (paged).",
            responses: [200: ("Paged public members", JSONSchema.of(PageBody<MemberBodies.Public>.self)), 400: ("Bad paging", nil)],
            query: PageRequest.parameters + [SearchQuery.parameter], handler: search)
    }

    @Sendable func registerMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try clients.admit(.registration, request, context)
        return try await commands.run(request, context: context) { body, metadata, idempotency in
            let input = try JSONBody.decode(RegisterBody.self, from: body)
            let registration = MembersService.Registration(
                username: input.username, password: input.password, displayName: input.displayName, phone: input.phone,
                phoneVerificationKey: input.phoneVerificationKey, email: input.email)
            let encode = { @Sendable (registered: MembersService.Registered) in
                StoredResponse(status: .created, encoding: MemberBodies.Registered(registered))
            }
            // The answer holds the new member's personal data: sealed under their own key.
            let result = try await service.register(
                registration, client: client, metadata: metadata,
                idempotency: idempotency.recording(sealing: { .member($0.me.id) }, encode))
            return result.map(encode)
        }
    }

    @Sendable func displayName(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let (available, reason) = service.displayNameAvailability(name.removingPercentEncoding ?? name)
        var body: [String: JSONValue] = ["available": .bool(available)]
        if let reason { body["reason"] = .string(reason) }
        return StoredResponse(status: .ok, encoding: body).response
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try auth.principal(request)
        guard let view = service.me(principal.memberID) else { throw APIError.unauthenticated }
        return StoredResponse(status: .ok, encoding: MemberBodies.Me(view)).response
    }

    @Sendable func patch(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let input = try JSONBody.decode(PatchBody.self, from: body)
            let encode = { @Sendable (view: MemberView) in StoredResponse(status: .ok, encoding: MemberBodies.Me(view)) }
            let result = try await service.updateProfile(
                principal, .init(displayName: input.displayName, gender: input.gender, avatarURL: input.avatarURL),
                metadata: metadata, idempotency: idempotency.recording(sealing: { _ in .member(principal.memberID) }, encode))
            return result.map(encode)
        }
    }

    @Sendable func deleteMe(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let input = try JSONBody.decode(PasswordBody.self, from: body)
            let stored = StoredResponse(status: 204, body: [])
            let result = try await service.deleteAccount(
                principal, password: input.password, client: try clients.admit(nil, request, context), metadata: metadata, idempotency: try idempotency?.record(stored))
            return result.map { stored }
        }
    }

    @Sendable func publicProfile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let member = service.publicProfile(id) else { throw MemberError.notFound }
        return StoredResponse(status: .ok, encoding: MemberBodies.Public(member)).response
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let paging = try PageRequest(request)
        let query = try request.searchQuery()
        let found = service.search(query, page: paging.page, pageSize: paging.size)
        let body = PageBody(items: found.items.map(MemberBodies.Public.init), request: paging, totalRows: found.totalRows)
        return StoredResponse(status: .ok, encoding: body).response
    }
}
