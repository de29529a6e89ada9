import AsyncHTTPClient
import NIOCore
import Synchronization

/// Sends group messages at a steady rate from a pool of HTTP connections: message `k` is
/// due `k / rate` seconds after the start and goes to group `k % groups.count`, from the
/// member after the last one that wrote there. A connection sends its next due message once
/// its previous one is answered, so a slow server lowers the rate rather than queueing.
struct MessageSender {
    let base: String
    let groups: [LoadGroup]
    let rate: Double
    let seconds: Double
    let connections: Int

    struct Outcome {
        /// The message numbers answered 201.
        var sentIndices: [Int]
        var errors: Int
        var elapsed: Double
    }

    func run() async throws -> Outcome {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let tickets = Tickets()
        let started = ContinuousClock.now
        let (sent, errors) = await withTaskGroup(of: ([Int], Int).self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var sent: [Int] = []
                    var errors = 0
                    while true {
                        let index = tickets.take()
                        let due = started + .seconds(Double(index) / rate)
                        guard due - started < .seconds(seconds) else { break }
                        try? await Task.sleep(until: due, clock: .continuous)
                        if await send(index, with: client) { sent.append(index) } else { errors += 1 }
                    }
                    return (sent, errors)
                }
            }
            return await group.reduce(into: ([Int](), 0)) { $0.0 += $1.0; $0.1 += $1.1 }
        }
        let elapsed = ContinuousClock.now - started
        try await client.shutdown()
        return Outcome(sentIndices: sent, errors: errors, elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private func send(_ index: Int, with client: HTTPClient) async -> Bool {
        let group = groups[index % groups.count]
        let token = group.tokens[(index / groups.count) % group.tokens.count]
        var request = HTTPClientRequest(url: base + "/v1/messages")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = #"{"to_group_id":"\#(group.id)","body":{"type":"text","content":"t=\#(WallClock.nanoseconds)"}}"#
        request.body = .bytes(ByteBuffer(string: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
            return response.status == .created
        } catch {
            return false
        }
    }
}

/// Message numbers, handed out once each to the sending connections.
final class Tickets: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}
