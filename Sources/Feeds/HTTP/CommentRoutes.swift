import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird

/// `/v1/feeds/{id}/comments`: comment, list (oldest first), remove.
struct CommentRoutes: Sendable {
    let service: FeedsService
    let callers: FeedCallers
    let commands: CommandRunner

    func register(on routes: RouteContext) {
        routes.add(
            .post, "/v1/feeds/{id}/comments", summary: "Comment on a post (1-1,000 characters).",
            request: JSONSchema.of(FeedBodies.CommentInput.self),
            responses: [201: ("The comment", FeedBodies.comment), 400: ("Invalid input", nil), 401: ("No valid token", nil), 404: ("No such post", nil)],
            handler: add)
        routes.add(
            .get, "/v1/feeds/{id}/comments", summary: "A post's comments, oldest first.",
            responses: [200: ("A cursor page of comments", FeedBodies.commentPage), 400: ("Bad paging", nil), 401: ("Bad token", nil), 404: ("No such post", nil)],
            query: CursorRequest.parameters, security: .optionalMember, handler: list)
        routes.add(
            .delete, "/v1/feeds/{id}/comments/{comment_id}", summary: "Remove a comment (its author, the post's author, or the admin token).",
            responses: [204: ("Removed", nil), 401: ("No valid token", nil), 403: ("Not allowed", nil), 404: ("No such comment", nil)],
            handler: remove)
    }

    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try callers.members.principal(request)
            let input = try JSONBody.decode(FeedBodies.CommentInput.self, from: body)
            let encode = { @Sendable (view: CommentView) in StoredResponse(status: .created, json: FeedJSON.comment(view)) }
            let result = try await service.comment(
                principal, on: id, content: input.content, metadata: metadata,
                idempotency: idempotency.recording(sealing: { _ in .member(principal.memberID) }, encode))
            return result.map(encode)
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        let paging = try FeedCursor(request)
        let page = try service.comments(on: id, viewer: try callers.viewer(request), after: paging.key, limit: paging.limit)
        return StoredResponse(status: .ok, json: FeedJSON.page(page, FeedJSON.comment(_:into:))).response
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.entityID("id")
        let commentID = try context.parameters.entityID("comment_id")
        return try await commands.run(request, context: context, requiresBody: false, session: true) { _, metadata, idempotency in
            let actor = try callers.actor(request)
            let stored = StoredResponse(status: 204, body: [])
            return try await service.removeComment(commentID, of: id, by: actor, metadata: metadata, idempotency: try idempotency?.record(stored))
                .map { stored }
        }
    }
}
