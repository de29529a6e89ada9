import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird

/// A group's members: the paged list, joining, leaving and removals, roles, ownership, and
/// the caller's own groups (API.md Groups; seed 002 JoinGroup, QuitGroup, GetGroupUser).
struct GroupMemberRoutes: Sendable {
    let service: GroupsService
    let auth: MemberAuth
    let commands: CommandRunner

    struct RoleBody: Decodable {
        var role: AssignableRole
    }

    /// The roles the owner gives (`owner` passes only by handing ownership over).
    enum AssignableRole: String, Decodable, CaseIterable, SchemaEnumeration {
        case admin, member
    }

    struct OwnerBody: Decodable {
        var memberID: String
        enum CodingKeys: String, CodingKey { case memberID = "member_id" }
    }

    func register(on routes: RouteContext) {
        routes.add(
            .get, "/v1/groups/{id}/members",
            summary: "A group's members with their role (paged): the owner, the admins, then the others in join order.",
            responses: [200: ("Paged members", JSONSchema.of(PageBody<GroupBodies.Member>.self)), 400: ("Bad paging", nil), 404: ("Unknown or deleted", nil)],
            query: PageRequest.parameters, handler: list)
        routes.add(
            .put, "/v1/groups/{id}/members/me", summary: "Join a group (nothing to do when already in it).",
            responses: [
                204: ("Joined", nil), 401: ("No valid token", nil), 404: ("Unknown or deleted", nil),
                409: ("group_full: the group has the server's member limit", nil),
            ],
            handler: join)
        let removal: [Int: (String, JSONValue?)] = [
            204: ("Left or removed (nothing to do when not a member)", nil), 401: ("No valid token", nil),
            403: ("Not allowed to remove this member", nil), 404: ("Unknown or deleted group", nil),
            409: ("owner_cannot_leave: hand ownership over first", nil),
        ]
        routes.add(.delete, "/v1/groups/{id}/members/me", summary: "Leave a group.", responses: removal, handler: remove)
        routes.add(
            .delete, "/v1/groups/{id}/members/{member_id}",
            summary: "Leave (member_id is the caller or me) or remove a member (owner: anyone; admin: plain members).",
            responses: removal, handler: remove)
        routes.add(
            .put, "/v1/groups/{id}/members/{member_id}/role", summary: "Appoint (admin) or dismiss (member) an admin (owner only).",
            request: JSONSchema.of(RoleBody.self),
            responses: [
                204: ("Role set", nil), 400: ("Invalid role", nil), 401: ("No valid token", nil), 403: ("Not the owner", nil),
                404: ("Unknown or deleted group", nil), 409: ("owner_role_fixed or not_a_member", nil),
            ],
            handler: setRole)
        routes.add(
            .put, "/v1/groups/{id}/owner", summary: "Hand ownership to a member (owner only); the old owner becomes an admin.",
            request: JSONSchema.of(OwnerBody.self),
            responses: [
                204: ("Handed over", nil), 400: ("Invalid input", nil), 401: ("No valid token", nil), 403: ("Not the owner", nil),
                404: ("Unknown or deleted group", nil), 409: ("not_a_member", nil),
            ],
            handler: handOver)
        routes.add(
            .get, "/v1/members/me/groups", summary: "The caller's groups with their role (paged, in the order they joined).",
            responses: [200: ("Paged groups", JSONSchema.of(PageBody<GroupBodies.MyGroup>.self)), 400: ("Bad paging", nil), 401: ("No valid token", nil)],
            query: PageRequest.parameters, handler: mine)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        let paging = try PageRequest(request)
        guard let found = service.members(of: id.rawValue, range: paging.range(of: Int.max)) else { throw GroupError.notFound }
        let body = PageBody(items: found.items.map(GroupBodies.Member.init), request: paging, totalRows: found.total)
        return StoredResponse(status: .ok, encoding: body).response
    }

    @Sendable func join(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        return try await commands.run(request, context: context, requiresBody: false, session: true) { _, metadata, idempotency in
            let principal = try auth.principal(request)
            let stored = StoredResponse(status: 204, body: [])
            return try await service.join(principal, id, metadata: metadata, idempotency: try idempotency?.record(stored)).map { stored }
        }
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        let member = context.parameters.get("member_id") ?? "me"
        return try await commands.run(request, context: context, requiresBody: false, session: true) { _, metadata, idempotency in
            let principal = try auth.principal(request)
            let target = try GroupRules.memberID(member, caller: principal.memberID)
            let stored = StoredResponse(status: 204, body: [])
            return try await service.remove(principal, id, target: target, metadata: metadata, idempotency: try idempotency?.record(stored))
                .map { stored }
        }
    }

    @Sendable func setRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        let member = try context.parameters.require("member_id")
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let target = try GroupRules.memberID(member, caller: principal.memberID)
            let input = try JSONBody.decode(RoleBody.self, from: body)
            let role = try GroupRules.assignableRole(input.role.rawValue)
            let stored = StoredResponse(status: 204, body: [])
            return try await service.setRole(
                principal, id, target: target, role: role, metadata: metadata, idempotency: try idempotency?.record(stored)
            ).map { stored }
        }
    }

    @Sendable func handOver(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let input = try JSONBody.decode(OwnerBody.self, from: body)
            guard let newOwner = EntityID(input.memberID) else {
                throw GroupError.invalid(field: "member_id", reason: "member_id must be a member id.")
            }
            let stored = StoredResponse(status: 204, body: [])
            return try await service.handOver(principal, id, to: newOwner.rawValue, metadata: metadata, idempotency: try idempotency?.record(stored))
                .map { stored }
        }
    }

    @Sendable func mine(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try auth.principal(request)
        let paging = try PageRequest(request)
        let found = service.groups(of: principal.memberID, range: paging.range(of: Int.max))
        let body = PageBody(items: found.items.map(GroupBodies.MyGroup.init), request: paging, totalRows: found.total)
        return StoredResponse(status: .ok, encoding: body).response
    }
}
