import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird

/// `/v1/admin/feeds`: the moderation queue and reviews (admin token).
struct AdminFeedRoutes: Sendable {
    let service: FeedsService
    let admin: AdminAuth
    let commands: CommandRunner

    func register(on routes: RouteContext) {
        routes.add(
            .post, "/v1/admin/feeds/{id}/review", summary: "Approve or reject a post, with an optional remark (kept in its history).",
            request: JSONSchema.of(FeedBodies.ReviewInput.self),
            responses: [
                200: ("The post", FeedBodies.feed), 400: ("Invalid input", nil), 401: ("No admin token", nil), 403: ("Admin routes off", nil),
                404: ("No such post", nil),
            ], handler: review)
        routes.add(
            .get, "/v1/admin/feeds", summary: "Posts by review_status (default pending), oldest first: the moderation queue.",
            responses: [
                200: ("A cursor page of posts", FeedBodies.feedPage), 400: ("Bad filter or paging", nil), 401: ("No admin token", nil),
                403: ("Admin routes off", nil),
            ], query: CursorRequest.parameters + [FeedQuery.reviewStatus], handler: queue)
    }

    @Sendable func review(_ request: Request, context: AppRequestContext) async throws -> Response {
        try admin.require(request)
        let id = try context.parameters.entityID("id")
        return try await commands.run(request, context: context) { body, metadata, idempotency in
            let input = try JSONBody.decode(FeedBodies.ReviewInput.self, from: body)
            let encode = { @Sendable (view: PostView) in StoredResponse(status: .ok, json: FeedJSON.feed(view)) }
            // The answer holds the author's text: sealed under the author's key.
            let result = try await service.review(
                id, status: input.status.rawValue, remark: input.remark, metadata: metadata,
                idempotency: idempotency.recording(sealing: { .member($0.authorID) }, encode))
            return result.map(encode)
        }
    }

    @Sendable func queue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try admin.require(request)
        let paging = try FeedCursor(request)
        let page = service.queue(try request.reviewStatus() ?? .pending, above: paging.key, limit: paging.limit)
        return StoredResponse(status: .ok, json: FeedJSON.page(page, FeedJSON.feed(_:into:))).response
    }
}
