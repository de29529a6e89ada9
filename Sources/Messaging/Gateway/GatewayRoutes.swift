import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird

/// `GET /v1/stream` without an upgrade (its errors, and 426 otherwise) and
/// `POST /v1/admin/broadcast` (seed 002 `GatewayService.SendToAll`).
struct GatewayRoutes: Sendable {
    let socket: StreamSocket
    let gateway: Gateway
    let admin: AdminAuth
    let commands: CommandRunner

    struct BroadcastBody: Decodable { var content: String }

    static let maxBroadcast = 1000

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
            .post, "/v1/admin/broadcast", summary: "Push a broadcast frame to every connected socket.",
            request: ["type": "object", "required": ["content"], "properties": ["content": TextRule.freeText(min: 1, max: Self.maxBroadcast).schema()]],
            responses: [
                202: ("Pushed", ["type": "object", "properties": ["delivered_to": ["type": "integer", "minimum": 0]]]), 400: ("Invalid content", nil),
                401: ("No admin token", nil), 403: ("Wrong admin token", nil),
            ],
            handler: broadcast)
    }

    @Sendable func stream(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try socket.check(path: request.uri.description, authorization: request.headers[.authorization])
        throw APIError(.upgradeRequired, "upgrade_required", "Open /v1/stream as a WebSocket (Connection: Upgrade, Upgrade: websocket).")
    }

    struct Delivered: Encodable {
        var deliveredTo: Int
        enum CodingKeys: String, CodingKey { case deliveredTo = "delivered_to" }
    }

    @Sendable func broadcast(_ request: Request, context: AppRequestContext) async throws -> Response {
        try admin.require(request)
        var request = request
        let bytes = try await request.jsonBody(context: context)
        let input = try JSONBody.decode(BroadcastBody.self, from: bytes)
        if let reason = TextRule.freeText(min: 1, max: Self.maxBroadcast).violation(in: input.content) {
            throw APIError.validation(field: "content", "content \(reason)")
        }
        let count = gateway.broadcast(input.content)
        return StoredResponse(status: .accepted, encoding: Delivered(deliveredTo: count)).response
    }
}
