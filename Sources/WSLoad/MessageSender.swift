import AsyncHTTPClient
import NIOCore

/// Sends group messages open-loop at a steady rate: message `k` is due `k / rate` seconds
/// after the start and goes to group `k % groups.count`, from one member after another.
/// Each due message is sent at once on a task of its own, up to `maxInFlight` unanswered;
/// beyond that the schedule waits. A message carries the time it was due, not the time it
/// left, so a server that falls behind shows in the latency instead of slowing the load
/// down unseen (a closed loop of a few connections measured its own round trips). Sending
/// stops when `seconds` have passed, however far behind the schedule is.
struct MessageSender {
    let base: String
    let groups: [LoadGroup]
    let rate: Double
    let seconds: Double
    let maxInFlight: Int

    struct Outcome {
        /// The message numbers answered 201.
        var sentIndices: [Int] = []
        var errors = 0
        /// Messages sent (answered or not).
        var offered = 0
        /// From the first send to the last answer.
        var elapsed: Double = 0
        /// How late the latest send was against its due time (the load could not keep up when large).
        var maxLag: Double = 0
    }

    func run() async throws -> Outcome {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maxInFlight)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let started = ContinuousClock.now
        let startedAt = SendClock.nanoseconds
        var outcome = Outcome()
        await withTaskGroup(of: (Int, Bool).self) { group in
            func record(_ result: (Int, Bool)) {
                if result.1 { outcome.sentIndices.append(result.0) } else { outcome.errors += 1 }
            }
            var inFlight = 0
            var index = 0
            while true {
                let due = Duration.seconds(Double(index) / rate)
                guard due < .seconds(seconds), ContinuousClock.now - started < .seconds(seconds) else { break }
                try? await Task.sleep(until: started + due, clock: .continuous)
                while inFlight >= maxInFlight, let result = await group.next() {
                    inFlight -= 1
                    record(result)
                }
                outcome.maxLag = max(outcome.maxLag, Self.seconds(ContinuousClock.now - started - due))
                let message = index
                let stamp = startedAt + Int64(Double(index) / rate * 1e9)
                group.addTask { (message, await send(message, stamp: stamp, with: client)) }
                inFlight += 1
                index += 1
            }
            outcome.offered = index
            for await result in group { record(result) }
        }
        outcome.elapsed = Self.seconds(ContinuousClock.now - started)
        try await client.shutdown()
        return outcome
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func send(_ index: Int, stamp: Int64, with client: HTTPClient) async -> Bool {
        let group = groups[index % groups.count]
        let token = group.tokens[(index / groups.count) % group.tokens.count]
        var request = HTTPClientRequest(url: base + "/v1/messages")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = #"{"to_group_id":"\#(group.id)","body":{"type":"text","content":"t=\#(stamp)"}}"#
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
