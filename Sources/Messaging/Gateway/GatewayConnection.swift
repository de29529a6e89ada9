import ServerKit
import Synchronization

/// One open socket: whose it is, and its bounded queue of frames. The dispatcher, the
/// kickout watcher and broadcasts enqueue; the socket's own task writes. A queue that
/// fills (the client reads slower than frames come) ends the socket with a reason instead
/// of growing: its client reconnects with its last cursor and misses nothing.
final class GatewayConnection: Sendable {
    enum Item: Sendable {
        case frame(String)
        /// Close after the frames before it, with this code and reason.
        case close(slow: Bool, reason: String)
    }

    let id: Int
    let memberID: String
    let sessionID: String
    /// Live message frames at or before this position are skipped (the client has them).
    let skipThrough: UInt64
    let items: AsyncStream<Item>
    private let continuation: AsyncStream<Item>.Continuation
    private let closed = Atomic<Bool>(false)
    private let onSlow: MetricCounter

    init(id: Int, memberID: String, sessionID: String, capacity: Int, skipThrough: UInt64, onSlow: MetricCounter) {
        (self.id, self.memberID, self.sessionID, self.skipThrough, self.onSlow) = (id, memberID, sessionID, skipThrough, onSlow)
        // One slot beyond the capacity for the closing item.
        (items, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .bufferingOldest(max(1, capacity)))
    }

    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Queues a frame (true when queued); a full queue closes the socket as a slow consumer.
    @discardableResult
    func send(_ frame: String) -> Bool {
        guard !isClosed else { return false }
        if case .dropped = continuation.yield(.frame(frame)) {
            if finish(slow: true, reason: "slow_consumer: reconnect with ?after= your last cursor") { onSlow.increment() }
            return false
        }
        return true
    }

    /// A message frame at log position `position` (skipped when the client has it).
    func send(_ frame: String, at position: UInt64) -> Bool {
        guard position > skipThrough else { return false }
        return send(frame)
    }

    /// Ends the queue: the socket writes what is queued (a kickout frame, say) and closes.
    /// False when it was ended already.
    @discardableResult
    func finish(slow: Bool = false, reason: String) -> Bool {
        guard closed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return false }
        // The closing item may not fit a full queue: the stream's end closes the socket then.
        continuation.yield(.close(slow: slow, reason: reason))
        continuation.finish()
        return true
    }
}
