import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird

/// The post lists (seed 002 FeedQuery, FeedOwn, FeedFollow, FeedRecommend): everyone's
/// newest, the caller's own by review status, the following timeline and the recommendation.
struct FeedListRoutes: Sendable {
    let service: FeedsService
    let callers: FeedCallers

    func register(on routes: RouteContext) {
        routes.add(
            .get, "/v1/feeds", summary: "Approved posts, newest first; q matches whole words (any case) and CJK runs.",
            responses: [200: ("A cursor page of posts", FeedBodies.feedPage), 400: ("Bad cursor, limit or q", nil), 401: ("Bad token", nil)],
            query: CursorRequest.parameters + [SearchQuery.parameter], security: .optionalMember, handler: latest)
        routes.add(
            .get, "/v1/members/me/feeds", summary: "The caller's own posts, newest first, by review_status and q.",
            responses: [200: ("A cursor page of posts", FeedBodies.feedPage), 400: ("Bad filter or paging", nil), 401: ("No valid token", nil)],
            query: CursorRequest.parameters + [FeedQuery.reviewStatus, SearchQuery.parameter], handler: mine)
        routes.add(
            .get, "/v1/feeds/following", summary: "The approved posts of the members the caller follows, newest first.",
            responses: [200: ("A cursor page of posts", FeedBodies.feedPage), 400: ("Bad paging", nil), 401: ("No valid token", nil)],
            query: CursorRequest.parameters, handler: following)
        routes.add(
            .get, "/v1/feeds/recommended", summary: "Approved posts ranked by hot score (ARCHITECTURE.md, Feeds).",
            responses: [200: ("Posts, hottest first", FeedBodies.feedItems), 400: ("Bad limit", nil), 401: ("Bad token", nil)],
            query: [CursorRequest.parameters[1]], security: .optionalMember, handler: recommended)
    }

    @Sendable func latest(_ request: Request, context: AppRequestContext) async throws -> Response {
        let paging = try FeedCursor(request)
        let query = try request.searchQuery()
        let viewer = try callers.viewer(request)
        let page = service.latest(query: query, below: paging.key, limit: paging.limit, viewer: viewer)
        return StoredResponse(status: .ok, json: FeedJSON.page(page, FeedJSON.feed(_:into:))).response
    }

    @Sendable func mine(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try callers.members.principal(request)
        let paging = try FeedCursor(request)
        let query = try request.searchQuery()
        let page = service.mine(principal.memberID, status: try request.reviewStatus(), query: query, below: paging.key, limit: paging.limit)
        return StoredResponse(status: .ok, json: FeedJSON.page(page, FeedJSON.feed(_:into:))).response
    }

    @Sendable func following(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try callers.members.principal(request)
        let paging = try FeedCursor(request)
        let page = service.following(principal.memberID, below: paging.key, limit: paging.limit)
        return StoredResponse(status: .ok, json: FeedJSON.page(page, FeedJSON.feed(_:into:))).response
    }

    @Sendable func recommended(_ request: Request, context: AppRequestContext) async throws -> Response {
        let limit = Int(try request.queryInteger("limit", default: 20, range: 1...100))
        let viewer = try callers.viewer(request)
        let items = service.recommended(limit: limit, viewer: viewer)
        return StoredResponse(status: .ok, json: FeedJSON.list(items, FeedJSON.feed(_:into:))).response
    }
}
