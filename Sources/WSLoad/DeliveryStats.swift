import Synchronization

/// What the sockets received: deliveries counted, and each one's send-to-receive latency
/// while recording is on. Sharded by socket, so thousands of sockets rarely wait for a lock.
final class DeliveryStats: Sendable {
    struct Received {
        var deliveries = 0
        /// Milliseconds, sorted once the stats are stopped.
        var latencies: [Double] = []

        /// The `p`th percentile (nearest rank below, as ws-load.py takes it).
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            return latencies[min(latencies.count - 1, Int(Double(latencies.count) * p / 100))]
        }
    }

    /// A lock of its own per shard (a `Mutex` cannot sit in an array).
    private final class Shard: Sendable {
        let received = Mutex(Received())
    }

    private let shards: [Shard]
    private let recording = Atomic<Bool>(true)
    /// The marker in a message frame before the send time: `"content":"t=`.
    private static let marker = Array(#""content":"t="#.utf8)

    init(shards: Int = 64) {
        self.shards = (0..<max(shards, 1)).map { _ in Shard() }
    }

    /// Counts a frame that carries a load message; other frames (pongs) are ignored.
    func record(_ frame: String, socket: Int, receivedAt now: Int64) {
        guard let sentAt = Self.sendTime(in: frame) else { return }
        let latency = Double(now - sentAt) / 1_000_000
        let keep = recording.load(ordering: .relaxed)
        shards[socket % shards.count].received.withLock { shard in
            shard.deliveries += 1
            if keep { shard.latencies.append(latency) }
        }
    }

    /// Stops recording latencies and returns everything received.
    func stop() -> Received {
        recording.store(false, ordering: .relaxed)
        var total = Received()
        for shard in shards {
            shard.received.withLock { shard in
                total.deliveries += shard.deliveries
                total.latencies += shard.latencies
            }
        }
        total.latencies.sort()
        return total
    }

    /// The digits after the marker: the message's due time on `SendClock`.
    static func sendTime(in frame: String) -> Int64? {
        var frame = frame
        return frame.withUTF8 { bytes -> Int64? in
            guard bytes.count > marker.count else { return nil }
            var start = 0
            while start + marker.count <= bytes.count {
                if bytes[start] == marker[0], marker.indices.allSatisfy({ bytes[start + $0] == marker[$0] }) { break }
                start += 1
            }
            var index = start + marker.count
            guard index < bytes.count else { return nil }
            var value: Int64 = 0
            var digits = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
                let (next, carry) = times10.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
                guard !overflow, !carry else { return nil }
                value = next
                index += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
    }
}
