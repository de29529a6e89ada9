public import HummingbirdWebSocket
import NIOWebSocket
public import HTTPTypes
public import EventSourcing
import Foundation
import Logging
import ServerKit

/// `GET /v1/stream`: the WebSocket upgrade (token in `Authorization` or `?token=`,
/// `?after=CURSOR` to resume) and the socket's life: register, replay what the member
/// missed, `caught_up`, then live frames from its queue; `{"type":"ping"}` is answered
/// with a pong (WebSocket pings are answered by the protocol layer).
public struct StreamSocket: Sendable {
    let gateway: Gateway
    let service: MessagesService
    let authenticate: @Sendable (String) -> Principal?
    let applied: @Sendable (LogPosition) async -> Void

    public init(
        gateway: Gateway, service: MessagesService, authenticate: @escaping @Sendable (String) -> Principal?,
        applied: @escaping @Sendable (LogPosition) async -> Void
    ) {
        (self.gateway, self.service, self.authenticate, self.applied) = (gateway, service, authenticate, applied)
    }

    /// What a stream request asks: the member, the token, and where to resume (nil: live only).
    struct Ask: Sendable {
        var principal: Principal
        var token: String
        var after: LogPosition?
    }

    /// The token and cursor of a request to `/v1/stream`; nil when the path is another one.
    static func query(_ target: String) -> (path: Substring, items: [String: String]) {
        let parts = target.split(separator: "?", maxSplits: 1)
        var items: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard kv.count == 2 else { continue }
                items[String(kv[0])] = String(kv[1]).removingPercentEncoding ?? String(kv[1])
            }
        }
        return (parts.first ?? "", items)
    }

    /// Checks a stream request: 401 without a valid token, 400 for a bad cursor.
    func check(path target: String, authorization: String?) throws -> Ask {
        let (_, items) = Self.query(target)
        var token = items["token"]
        if let authorization, authorization.hasPrefix("Bearer ") { token = String(authorization.dropFirst(7)) }
        guard let token, let principal = authenticate(token) else { throw APIError.unauthenticated }
        let after = try items["after"].map { try StreamCursor.parse($0, field: "after") }
        return Ask(principal: principal, token: token, after: after)
    }

    /// The upgrade decision for hummingbird-websocket: upgrade `/v1/stream` with a valid
    /// token and cursor; anything else goes on to the router (which answers the error).
    public func shouldUpgrade(_ request: HTTPRequest) -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        guard let target = request.path, Self.query(target).path == "/v1/stream",
            let ask = try? check(path: target, authorization: request.headerFields[.authorization])
        else { return .dontUpgrade }
        return .upgrade([:]) { inbound, outbound, _ in
            try await serve(ask, inbound: inbound, outbound: outbound)
        }
    }

    func serve(_ ask: Ask, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let (connection, liveFrom) = gateway.register(
            memberID: ask.principal.memberID, sessionID: ask.principal.sessionID, skipThrough: ask.after ?? 0)
        defer { gateway.unregister(connection) }
        // A revocation between the token check and the registration is not missed.
        guard authenticate(ask.token) != nil else {
            try? await outbound.writeTextMessage(StreamFrames.text(StreamFrames.KickoutFrame(reason: "session_revoked")))
            try? await outbound.close(.normalClosure, reason: "kickout")
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await message in inbound.messages(maxSize: 4096) {
                    if case .text(let text) = message, text.contains("\"ping\"") {
                        connection.send(StreamFrames.text(StreamFrames.PongFrame()))
                    }
                }
                // The client closed: end the writer too.
                connection.finish(reason: "closed by the client")
            }
            group.addTask {
                if let after = ask.after {
                    let through = try await replay(ask.principal.memberID, after: after, through: liveFrom, outbound: outbound)
                    try await outbound.writeTextMessage(StreamFrames.text(StreamFrames.CaughtUpFrame(cursor: StreamCursor.encode(through))))
                }
                for await item in connection.items {
                    switch item {
                    case .frame(let text):
                        try await outbound.writeTextMessage(text)
                    case .close(let slow, let reason):
                        try? await outbound.close(slow ? .policyViolation : .normalClosure, reason: reason)
                        return
                    }
                }
                try? await outbound.close(.policyViolation, reason: "slow_consumer")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Sends the member's messages in `(after, through]` (and any later the index already
    /// has, up to where live frames take over); returns the last position covered.
    func replay(_ memberID: String, after: LogPosition, through liveFrom: LogPosition, outbound: WebSocketOutboundWriter) async throws -> LogPosition {
        await applied(liveFrom)
        var cursor = after
        while cursor < liveFrom {
            let (items, hasMore) = try await service.sync(memberID, after: cursor, limit: 100)
            for view in items where view.position <= liveFrom {
                try await outbound.writeTextMessage(StreamFrames.message(view))
            }
            guard let last = items.last?.position, last < liveFrom, hasMore else { break }
            cursor = last
        }
        return max(after, liveFrom)
    }
}
