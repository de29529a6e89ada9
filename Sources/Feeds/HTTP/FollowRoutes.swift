import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird

/// `/v1/members/{id}/follow|followers|following` (seed 002 FeedFollow's other half).
struct FollowRoutes: Sendable {
    let service: FeedsService
    let callers: FeedCallers
    let commands: CommandRunner

    func register(on routes: RouteContext) {
        let change: [Int: (String, JSONValue?)] = [
            204: ("Done (idempotent)", nil), 400: ("Following oneself", nil), 401: ("No valid token", nil), 404: ("No such member", nil),
        ]
        routes.add(.put, "/v1/members/{id}/follow", summary: "Follow a member.", responses: change, handler: follow)
        routes.add(.delete, "/v1/members/{id}/follow", summary: "Stop following a member.", responses: change, handler: unfollow)
        let list: [Int: (String, JSONValue?)] = [
            200: ("A page of public members, newest follow first", FeedBodies.followPage), 400: ("Bad paging", nil), 404: ("No such member", nil),
        ]
        routes.add(.get, "/v1/members/{id}/followers", summary: "Who follows the member.", responses: list, query: PageRequest.parameters, handler: followers)
        routes.add(.get, "/v1/members/{id}/following", summary: "Whom the member follows.", responses: list, query: PageRequest.parameters, handler: followees)
    }

    @Sendable func follow(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { principal, id, metadata, record in
            try await service.follow(principal, id, metadata: metadata, idempotency: record)
        }
    }

    @Sendable func unfollow(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { principal, id, metadata, record in
            try await service.unfollow(principal, id, metadata: metadata, idempotency: record)
        }
    }

    @Sendable func followers(_ request: Request, context: AppRequestContext) async throws -> Response {
        try list(request, context, followers: true)
    }

    @Sendable func followees(_ request: Request, context: AppRequestContext) async throws -> Response {
        try list(request, context, followers: false)
    }

    func list(_ request: Request, _ context: AppRequestContext, followers: Bool) throws -> Response {
        let id = try context.parameters.entityID("id")
        let paging = try PageRequest(request)
        let (items, total) = try service.follows(of: id, followers: followers, page: paging.page, pageSize: paging.size)
        return StoredResponse(status: .ok, encoding: PageBody(items: items.map(FeedBodies.Follow.init), request: paging, totalRows: total)).response
    }

    func change(
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
