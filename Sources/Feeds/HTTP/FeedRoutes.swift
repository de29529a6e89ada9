import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird

/// `/v1/feeds` and `/v1/feeds/{id}`: write, read (counting a view), edit and delete a
/// post; like and unlike it (seed 002 FeedCreate, FeedGet, FeedEdit, FeedDelete, FeedLike,
/// FeedUnLike).
struct FeedRoutes: Sendable {
    let service: FeedsService
    let callers: FeedCallers
    let commands: CommandRunner

    func register(on routes: RouteContext) {
        routes.add(
            .post, "/v1/feeds", summary: "Write a post (text, 1-9 images or one video); approved at once unless review is manual.",
            request: JSONSchema.of(FeedBodies.PostInput.self),
            responses: [201: ("The post", FeedBodies.feed), 400: ("Invalid input", nil), 401: ("No valid token", nil)], handler: create)
        routes.add(
            .get, "/v1/feeds/{id}", summary: "A post (counts a view). Deleted, or not approved and not the caller's: 404.",
            responses: [200: ("The post", FeedBodies.feed), 401: ("Bad token", nil), 404: ("No such post", nil)],
            security: .optionalMember, handler: get)
        routes.add(
            .put, "/v1/feeds/{id}", summary: "Edit a post (author only); pending again under manual review.",
            request: JSONSchema.of(FeedBodies.PostInput.self),
            responses: [
                200: ("The post", FeedBodies.feed), 400: ("Invalid input", nil), 401: ("No valid token", nil), 403: ("Not the author", nil),
                404: ("No such post", nil),
            ], handler: edit)
        routes.add(
            .delete, "/v1/feeds/{id}", summary: "Delete a post (its author, or the admin token).",
            responses: [204: ("Deleted", nil), 401: ("No valid token", nil), 403: ("Not the author", nil), 404: ("No such post", nil)],
            handler: delete)
        let like: [Int: (String, JSONValue?)] = [204: ("Done (idempotent)", nil), 401: ("No valid token", nil), 404: ("No such post", nil)]
        routes.add(.put, "/v1/feeds/{id}/like", summary: "Like a post (a second like counts nothing).", responses: like, handler: likePost)
        routes.add(.delete, "/v1/feeds/{id}/like", summary: "Take a like back (nothing to take back is fine).", responses: like, handler: unlikePost)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try callers.members.principal(request)
            let input = try JSONBody.decode(FeedBodies.PostInput.self, from: body)
            let encode = { @Sendable (view: PostView) in StoredResponse(status: .created, json: FeedJSON.feed(view)) }
            let result = try await service.create(
                principal, kind: input.type, content: input.content, resources: input.resources, metadata: metadata,
                idempotency: idempotency.recording(sealing: { _ in .member(principal.memberID) }, encode))
            return result.map(encode)
        }
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        let view = try service.get(id, viewer: try callers.viewer(request))
        return StoredResponse(status: .ok, json: FeedJSON.feed(view)).response
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try callers.members.principal(request)
            let input = try JSONBody.decode(FeedBodies.PostInput.self, from: body)
            let encode = { @Sendable (view: PostView) in StoredResponse(status: .ok, json: FeedJSON.feed(view)) }
            let result = try await service.edit(
                principal, id: id, kind: input.type, content: input.content, resources: input.resources, metadata: metadata,
                idempotency: idempotency.recording(sealing: { _ in .member(principal.memberID) }, encode))
            return result.map(encode)
        }
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        return try await commands.run(request, context: context, requiresBody: false, session: true) { _, metadata, idempotency in
            let actor = try callers.actor(request)
            let stored = StoredResponse(status: 204, body: [])
            return try await service.delete(id, by: actor, metadata: metadata, idempotency: try idempotency?.record(stored)).map { stored }
        }
    }

    @Sendable func likePost(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await social(request, context) { principal, id, metadata, record in
            try await service.like(principal, id, metadata: metadata, idempotency: record)
        }
    }

    @Sendable func unlikePost(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await social(request, context) { principal, id, metadata, record in
            try await service.unlike(principal, id, metadata: metadata, idempotency: record)
        }
    }

    func social(
        _ request: Request, _ context: AppRequestContext,
        _ action: (Principal, EntityID, EventMetadata, IdempotencyRecord?) async throws -> CommandResult<Void>
    ) async throws -> Response {
        let id = try context.parameters.entityID("id")
        return try await commands.run(request, context: context, requiresBody: false, session: true) { _, metadata, idempotency in
            let principal = try callers.members.principal(request)
            let stored = StoredResponse(status: 204, body: [])
            return try await action(principal, id, metadata, try idempotency?.record(stored)).map { stored }
        }
    }
}
