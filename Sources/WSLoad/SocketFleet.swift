import HummingbirdWSClient
import Logging
import Synchronization

/// One /v1/stream socket per token, held open until the process ends; every text frame
/// goes to `stats`.
final class SocketFleet: Sendable {
    let url: String
    let tokens: [String]
    let stats: DeliveryStats
    let logger: Logger
    private let opened = Atomic<Int>(0)
    private let failures = Atomic<Int>(0)
    private let ended = Atomic<Int>(0)

    init(base: String, tokens: [String], stats: DeliveryStats, logger: Logger) {
        url = base.replacingOccurrences(of: "http://", with: "ws://") + "/v1/stream?token="
        self.tokens = tokens
        self.stats = stats
        self.logger = logger
    }

    /// Sockets that could not open.
    var failed: Int { failures.load(ordering: .relaxed) }
    /// Sockets that ended before the process did (closed by the server, or failed).
    var closedEarly: Int { ended.load(ordering: .relaxed) }

    /// Opens every socket, 200 at a time, and returns how many are open once each has
    /// opened or failed (or after two minutes).
    func open() async -> Int {
        for (index, token) in tokens.enumerated() {
            Task { await hold(token, socket: index) }
            if index % 200 == 199 { try? await Task.sleep(for: .milliseconds(50)) }
        }
        let deadline = ContinuousClock.now + .seconds(120)
        while opened.load(ordering: .relaxed) + failed < tokens.count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        return opened.load(ordering: .relaxed)
    }

    private func hold(_ token: String, socket: Int) async {
        let open = Opened()
        do {
            try await WebSocketClient.connect(url: url + token, configuration: .init(maxFrameSize: 1 << 20), logger: logger) {
                inbound, _, _ in
                open.mark()
                self.opened.add(1, ordering: .relaxed)
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { self.stats.record(text, socket: socket, receivedAt: SendClock.nanoseconds) }
                }
            }
        } catch {
            if !open.happened { failures.add(1, ordering: .relaxed) }
        }
        ended.add(1, ordering: .relaxed)
    }
}

/// Whether a socket's handler ran (it opened) before the connection ended.
private final class Opened: Sendable {
    private let flag = Atomic<Bool>(false)

    func mark() { flag.store(true, ordering: .relaxed) }
    var happened: Bool { flag.load(ordering: .relaxed) }
}
