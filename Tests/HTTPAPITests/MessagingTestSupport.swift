import EventSourcing
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOWebSocket
import ServerKit
import Synchronization
import Testing

extension TestClientProtocol {
    /// Sends a message as `token`; `target` is `"to_member_id":"…"` or `"to_group_id":"…"`.
    func sendMessage(_ token: String, _ target: String, body: String = #"{"type":"text","content":"hello"}"#, extra: String = "", headers: HTTPFields = [:])
        async throws -> Reply
    {
        var headers = headers
        headers[.authorization] = "Bearer \(token)"
        return try await call(.post, "/v1/messages", json: #"{\#(target),"body":\#(body)\#(extra)}"#, headers: headers)
    }

    func sendText(_ token: String, to member: String, _ text: String = "hello") async throws -> Reply {
        try await sendMessage(token, #""to_member_id":"\#(member)""#, body: #"{"type":"text","content":"\#(text)"}"#)
    }

    func conversations(_ token: String) async throws -> [[String: Any]] {
        let reply = try await call(.get, "/v1/conversations", headers: bearer(token))
        #expect(reply.status == .ok)
        return reply["items"] as? [[String: Any]] ?? []
    }
}

/// The whole server listening on a free port (services running: the gateway's dispatcher
/// and kickout watcher), for the WebSocket tests.
extension TestServer {
    func live(_ body: @Sendable (any TestClientProtocol, Int) async throws -> Void) async throws {
        var settings = server.settings
        settings.port = 0
        let listening = LogbookServer(domains: server.domains, runtime: server.runtime, table: RouteTable(), settings: settings)
        try await listening.application(logger: Logger(label: "test")).test(.live) { client in
            try await body(client, try #require(client.port))
        }
    }
}

/// A `/v1/stream` client for tests: connects in the background, keeps every text frame,
/// and the close frame once the server closed.
final class StreamProbe: Sendable {
    private let frames = Mutex<[String]>([])
    private let closeFrame = Mutex<(code: WebSocketErrorCode, reason: String?)?>(nil)
    private let ended = Atomic<Bool>(false)
    private let outboundBox = Mutex<WebSocketOutboundWriter?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Opens `/v1/stream?query` on `port` with `headers`.
    static func open(port: Int, query: String = "", headers: HTTPFields = [:]) -> StreamProbe {
        let probe = StreamProbe()
        let url = "ws://127.0.0.1:\(port)/v1/stream\(query.isEmpty ? "" : "?" + query)"
        probe.task.withLock {
            $0 = Task {
                let close = try? await WebSocketClient.connect(
                    url: url, configuration: .init(additionalHeaders: headers), logger: Logger(label: "probe")
                ) { inbound, outbound, _ in
                    probe.outboundBox.withLock { $0 = outbound }
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let text) = message { probe.frames.withLock { $0.append(text) } }
                    }
                }
                if let close { probe.closeFrame.withLock { $0 = (close.closeCode, close.reason) } }
                probe.ended.store(true, ordering: .releasing)
            }
        }
        return probe
    }

    /// The frames so far, decoded.
    var decoded: [[String: Any]] {
        frames.withLock { $0 }.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    func frames(ofType type: String) -> [[String: Any]] { decoded.filter { $0["type"] as? String == type } }

    /// The message frames' texts (text bodies' content), in order.
    var texts: [String] {
        frames(ofType: "message").compactMap { (($0["message"] as? [String: Any])?["body"] as? [String: Any])?["content"] as? String }
    }

    var isEnded: Bool { ended.load(ordering: .acquiring) }
    var close: (code: WebSocketErrorCode, reason: String?)? { closeFrame.withLock { $0 } }

    /// Waits (up to 20 s, polling) until `condition` holds; false when it never did.
    @discardableResult
    func wait(until condition: @Sendable (StreamProbe) -> Bool) async -> Bool {
        for _ in 0..<400 {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition(self)
    }

    /// Waits until the socket is open (the server answers an app-level ping).
    func waitOpen() async -> Bool {
        guard await wait(until: { $0.outboundBox.withLock { $0 != nil } || $0.isEnded }) else { return false }
        try? await send(#"{"type":"ping"}"#)
        return await wait(until: { !$0.frames(ofType: "pong").isEmpty || $0.isEnded }) && !isEnded
    }

    func send(_ text: String) async throws {
        guard let outbound = outboundBox.withLock({ $0 }) else { return }
        try await outbound.writeTextMessage(text)
    }

    func stop() {
        task.withLock { $0?.cancel() }
        if let outbound = outboundBox.withLock({ $0 }) { Task { try? await outbound.close(.normalClosure, reason: nil) } }
    }
}
