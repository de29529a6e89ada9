import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird

/// `GET /v1/stream` without an upgrade (its errors, and 426 otherwise) and
/// `POST /v1/admin/broadcast` (seed 002 `GatewayService.SendToAll`).
struct GatewayRoutes: Sendable {
    let socket: StreamSocket
    let gateway: Gateway
    let service: MessagesService
    let admin: AdminAuth
    let commands: CommandRunner

    struct BroadcastBody: Decodable { var content: String }

    func register(on routes: RouteContext) {
        routes.add(
            .get, "/v1/stream",
            summary: "The member's WebSocket: message, kickout, broadcast and caught_up frames; ?after=CURSOR replays what was missed first.",
            responses: [
                101: ("Switching to the WebSocket protocol", nil), 400: ("Bad cursor", nil), 401: ("No valid token", nil),
                426: ("Not a WebSocket upgrade request", nil),
            ],
            query: [
                .string("token", maxLength: 512, description: "The bearer token, for clients that cannot set headers."),
                .string("after", maxLength: 64, description: "The cursor of the last message frame the client has: resume after it."),
            ],
            handler: stream)
        routes.add(
            .post, "/v1/admin/broadcast", summary: "Log a broadcast, then push it to every connected socket (Idempotency-Key: a retry pushes nothing).",
            request: ["type": "object", "required": ["content"], "properties": ["content": TextRule.freeText(min: 1, max: MessageRules.maxBroadcast).schema()]],
            responses: [
                202: (
                    "Logged and pushed",
                    .properties(["broadcast_id": ["type": "string"], "delivered_to": ["type": "integer", "minimum": 0]], required: ["broadcast_id", "delivered_to"])
                ),
                400: ("Invalid content", nil),
                401: ("No admin token", nil), 403: ("Wrong admin token", nil),
            ],
            handler: broadcast)
    }

    @Sendable func stream(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try socket.check(path: request.uri.description, authorization: request.headers[.authorization])
        throw APIError(.upgradeRequired, "upgrade_required", "Open /v1/stream as a WebSocket (Connection: Upgrade, Upgrade: websocket).")
    }

    struct Delivered: Encodable {
        var broadcastID: String
        var deliveredTo: UInt64
        enum CodingKeys: String, CodingKey { case broadcastID = "broadcast_id", deliveredTo = "delivered_to" }
        init(_ sent: BroadcastSent) { (broadcastID, deliveredTo) = (sent.broadcastID, sent.sockets) }
    }

    /// Logged first (a retry with the same `Idempotency-Key` replays the first answer and
    /// pushes nothing), pushed once durable. `delivered_to` counts the sockets connected
    /// when it was accepted.
    @Sendable func broadcast(_ request: Request, context: AppRequestContext) async throws -> Response {
        try admin.require(request)
        return try await commands.run(request, context: context) { body, metadata, idempotency in
            let input = try JSONBody.decode(BroadcastBody.self, from: body)
            let encode = { @Sendable (sent: BroadcastSent) in StoredResponse(status: .accepted, encoding: Delivered(sent)) }
            let result = try await service.broadcast(
                input.content, sockets: gateway.connectionCount, metadata: metadata, idempotency: idempotency.recording(encode))
            if case .done(let sent) = result { _ = gateway.broadcast(sent.content) }
            return result.map(encode)
        }
    }
}
