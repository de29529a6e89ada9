import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird

/// `/v1/messages`, `/v1/conversations` and `/v1/sync` (API.md Messaging; seed 002 MessageService).
struct MessageRoutes: Sendable {
    let service: MessagesService
    let auth: MemberAuth
    let commands: CommandRunner

    struct SendBody: Decodable {
        var toMemberID, toGroupID: String?
        var atMemberIDs: [String]?
        var body: Body
        enum CodingKeys: String, CodingKey { case body, toMemberID = "to_member_id", toGroupID = "to_group_id", atMemberIDs = "at_member_ids" }
    }

    /// A body as sent: every field of every type, checked by `MessageRules.body`.
    struct Body: Decodable {
        var type: String
        var content, desc, mapLink, coverImage, symbol, url, name, format, thumbURL, thumbFormat: String?
        var lat, lng, thumbWidth, thumbHeight: Double?
        var size, seconds, width, height: Int64?
        enum CodingKeys: String, CodingKey {
            case type, content, desc, symbol, url, name, format, lat, lng, size, seconds, width, height
            case mapLink = "map_link", coverImage = "cover_image", thumbURL = "thumb_url", thumbFormat = "thumb_format"
            case thumbWidth = "thumb_width", thumbHeight = "thumb_height"
        }

        var raw: MessageRules.RawBody {
            var raw = MessageRules.RawBody(type: type)
            (raw.content, raw.desc, raw.mapLink, raw.coverImage, raw.symbol) = (content, desc, mapLink, coverImage, symbol)
            (raw.url, raw.name, raw.format, raw.thumbURL, raw.thumbFormat) = (url, name, format, thumbURL, thumbFormat)
            (raw.lat, raw.lng, raw.thumbWidth, raw.thumbHeight) = (lat, lng, thumbWidth, thumbHeight)
            (raw.size, raw.seconds, raw.width, raw.height) = (size, seconds, width, height)
            return raw
        }
    }

    struct ReadBody: Decodable {
        var upToSeq: UInt64
        enum CodingKeys: String, CodingKey { case upToSeq = "up_to_seq" }
    }

    /// Conversations per page when the client names no limit: clients written before the
    /// list was paged see every conversation of most members in one page.
    static let conversationsLimit = 100
    static let historyLimit = QueryParameter.integer("limit", range: 1...100, default: 20, description: "Messages per page.")

    func register(on routes: RouteContext) {
        routes.add(
            .post, "/v1/messages", summary: "Send a direct or group message (seq: its place in the conversation, from 1, gapless).",
            request: MessageBodies.sendRequest,
            responses: [
                201: ("The message", MessageBodies.message), 400: ("Invalid body, recipient or mention", nil), 401: ("No valid token", nil),
                403: ("Not a member of the group, or the recipient is disabled", nil), 404: ("Unknown recipient or group", nil),
            ],
            handler: send)
        routes.add(
            .get, "/v1/conversations",
            summary: "The caller's conversations, newest activity first, with last message and unread count (cursor-paged, 100 by default).",
            responses: [200: ("Conversations", MessageBodies.conversations), 400: ("Bad cursor or limit", nil), 401: ("No valid token", nil)],
            query: CursorRequest.parameters(defaultLimit: Self.conversationsLimit), handler: conversations)
        routes.add(
            .get, "/v1/conversations/{id}/messages", summary: "A conversation's messages, newest first, before before_seq (participants only).",
            responses: [
                200: ("Messages", MessageBodies.history), 400: ("Bad paging", nil), 401: ("No valid token", nil),
                403: ("Not in the group", nil), 404: ("No such conversation", nil),
            ],
            query: [
                .integer("before_seq", range: 1...UInt64(Int64.max), description: "Messages with a smaller seq (absent: from the newest)."),
                Self.historyLimit,
            ].map { parameter in
                var parameter = parameter
                parameter.required = false
                return parameter
            },
            handler: history)
        routes.add(
            .put, "/v1/conversations/{id}/read", summary: "Mark the conversation read up to a seq (marks only rise; above the last seq: 400).",
            request: ["type": "object", "required": ["up_to_seq"], "properties": ["up_to_seq": ["type": "integer", "minimum": 0]]],
            responses: [
                204: ("Marked", nil), 400: ("Above the last seq", nil), 401: ("No valid token", nil), 403: ("Not in the group", nil),
                404: ("No such conversation", nil),
            ],
            handler: markRead)
        routes.add(
            .get, "/v1/sync", summary: "The caller's messages committed after a cursor, oldest first (sent and received): the stream's replay over HTTP.",
            responses: [200: ("Messages", MessageBodies.sync), 400: ("Bad cursor or limit", nil), 401: ("No valid token", nil)],
            query: [
                .string("after", maxLength: 64, description: "A cursor from a frame or an earlier page (absent: from the start)."),
                .integer("limit", range: 1...100, default: 100, description: "Messages per page."),
            ],
            handler: sync)
    }

    @Sendable func send(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let input = try JSONBody.decode(SendBody.self, from: body)
            let target: MessageDecisions.Target
            switch (input.toMemberID, input.toGroupID) {
            case (let member?, nil): target = .member(member)
            case (nil, let group?): target = .group(group)
            default: throw MessageError.invalid(field: "to_member_id", reason: "Give exactly one of to_member_id and to_group_id.")
            }
            let encode = { @Sendable (view: MessageView) in StoredResponse(status: .created, encoding: MessageBodies.Message(view)) }
            let result = try await service.send(
                principal, to: target, mentions: input.atMemberIDs, body: input.body.raw, metadata: metadata,
                idempotency: idempotency.recording(sealing: { .member($0.senderID) }, encode))
            return result.map(encode)
        }
    }

    @Sendable func conversations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try auth.principal(request)
        let paging = try CursorRequest(request, defaultLimit: Self.conversationsLimit)
        var after: (position: LogPosition, id: String)?
        if let cursor = paging.cursor {
            guard cursor.parts.count == 2, let position = LogPosition(cursor.parts[0]) else {
                throw APIError.validation(field: "cursor", "cursor is not one this server gave.")
            }
            after = (position, cursor.parts[1])
        }
        let (items, next) = try await service.conversations(of: principal.memberID, after: after, limit: paging.limit)
        let body = MessageBodies.Conversations(
            items: items.map(MessageBodies.Conversation.init), nextCursor: next.map { Cursor(["\($0.position)", $0.id]).description })
        return StoredResponse(status: .ok, encoding: body).response
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try auth.principal(request)
        let id = try context.parameters.require("id")
        let before = request.uri.queryParameters.get("before_seq") == nil
            ? nil : try request.queryInteger("before_seq", range: 1...UInt64(Int64.max))
        let limit = Int(try request.queryInteger("limit", default: 20, range: 1...100))
        let (items, next) = try await service.history(principal.memberID, id, beforeSeq: before, limit: limit)
        return StoredResponse(status: .ok, encoding: MessageBodies.History(items: items.map(MessageBodies.Message.init), nextBeforeSeq: next)).response
    }

    @Sendable func markRead(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let input = try JSONBody.decode(ReadBody.self, from: body)
            let stored = StoredResponse(status: 204, body: [])
            return try await service.markRead(principal, id, upTo: input.upToSeq, metadata: metadata, idempotency: try idempotency?.record(stored))
                .map { stored }
        }
    }

    @Sendable func sync(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try auth.principal(request)
        let after = try StreamCursor.parse(request.uri.queryParameters.get("after").map { String($0) }, field: "after")
        let limit = Int(try request.queryInteger("limit", default: 100, range: 1...100))
        let (items, hasMore) = try await service.sync(principal.memberID, after: after, limit: limit)
        let next = StreamCursor.encode(items.last?.position ?? after)
        return StoredResponse(status: .ok, encoding: MessageBodies.Sync(items: items.map(MessageBodies.Message.init), nextCursor: next, hasMore: hasMore))
            .response
    }
}
