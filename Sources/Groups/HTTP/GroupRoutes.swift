import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird

/// `/v1/groups`: create, read, update, delete and search groups (API.md Groups; seed 002 GroupService).
struct GroupRoutes: Sendable {
    let service: GroupsService
    let auth: MemberAuth
    let commands: CommandRunner

    struct CreateBody: Decodable {
        var name: String
        var introduction, avatarURL: String?
        enum CodingKeys: String, CodingKey { case name, introduction, avatarURL = "avatar_url" }
    }

    struct UpdateBody: Decodable {
        var name, introduction, avatarURL: String?
        enum CodingKeys: String, CodingKey { case name, introduction, avatarURL = "avatar_url" }
    }

    func register(on routes: RouteContext) {
        routes.add(
            .post, "/v1/groups", summary: "Create a group; the caller is its owner and first member.",
            request: JSONSchema.of(CreateBody.self),
            responses: [201: ("The group", GroupBodies.group), 400: ("Invalid input", nil), 401: ("No valid token", nil)],
            handler: create)
        routes.add(
            .get, "/v1/groups", summary: "Search groups by name (paged, oldest first; without q, every group).",
            responses: [200: ("Paged groups", JSONSchema.of(PageBody<GroupBodies.Group>.self)), 400: ("Bad paging or query", nil)],
            query: PageRequest.parameters + [SearchQuery.parameter], handler: search)
        routes.add(
            .get, "/v1/groups/{id}", summary: "A group.",
            responses: [200: ("The group", GroupBodies.group), 404: ("Unknown or deleted", nil)], handler: get)
        routes.add(
            .put, "/v1/groups/{id}", summary: "Change a group's name, introduction or avatar (owner or admin; fields given change).",
            request: JSONSchema.of(UpdateBody.self),
            responses: [
                200: ("The group", GroupBodies.group), 400: ("Invalid input", nil), 401: ("No valid token", nil),
                403: ("Not the owner or an admin", nil), 404: ("Unknown or deleted", nil),
            ],
            handler: update)
        routes.add(
            .delete, "/v1/groups/{id}", summary: "Delete a group (owner only).",
            responses: [204: ("Deleted", nil), 401: ("No valid token", nil), 403: ("Not the owner", nil), 404: ("Unknown or deleted", nil)],
            handler: delete)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let input = try JSONBody.decode(CreateBody.self, from: body)
            let encode = { @Sendable (view: GroupView) in StoredResponse(status: .created, encoding: GroupBodies.Group(view)) }
            let result = try await service.create(
                principal, .init(name: input.name, introduction: input.introduction ?? "", avatarURL: input.avatarURL ?? ""),
                metadata: metadata, idempotency: idempotency.recording(encode))
            return result.map(encode)
        }
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        guard let group = service.group(id.rawValue) else { throw GroupError.notFound }
        return StoredResponse(status: .ok, encoding: GroupBodies.Group(group)).response
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let input = try JSONBody.decode(UpdateBody.self, from: body)
            let encode = { @Sendable (view: GroupView) in StoredResponse(status: .ok, encoding: GroupBodies.Group(view)) }
            let result = try await service.update(
                principal, id, .init(name: input.name, introduction: input.introduction, avatarURL: input.avatarURL), metadata: metadata,
                idempotency: idempotency.recording(encode))
            return result.map(encode)
        }
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        return try await commands.run(request, context: context, requiresBody: false, session: true) { _, metadata, idempotency in
            let principal = try auth.principal(request)
            let stored = StoredResponse(status: 204, body: [])
            return try await service.delete(principal, id, metadata: metadata, idempotency: try idempotency?.record(stored)).map { stored }
        }
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let paging = try PageRequest(request)
        let query = try request.searchQuery()
        let found = service.search(query, range: paging.range(of: Int.max))
        let body = PageBody(items: found.items.map(GroupBodies.Group.init), request: paging, totalRows: found.total)
        return StoredResponse(status: .ok, encoding: body).response
    }
}

extension GroupRoutes.CreateBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = [
        "name": TextRule.name(max: GroupRules.maxName).schema("Not only spaces."),
        "introduction": TextRule.freeText(max: GroupRules.maxIntroduction).schema(),
    ]
}

extension GroupRoutes.UpdateBody: SchemaConstrained {
    static let schemaConstraints = GroupRoutes.CreateBody.schemaConstraints
}
