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

    init(id: Int, memberID: String, sessionID: String, capacity: Int, skipThrough: UInt64) {
        (self.id, self.memberID, self.sessionID, self.skipThrough) = (id, memberID, sessionID, skipThrough)
        // One slot beyond the capacity for the closing item.
        (items, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .bufferingOldest(max(1, capacity)))
    }

    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Queues a frame; a full queue closes the socket as a slow consumer.
    func send(_ frame: String) {
        guard !isClosed else { return }
        if case .dropped = continuation.yield(.frame(frame)) {
            finish(slow: true, reason: "slow_consumer: reconnect with ?after= your last cursor")
        }
    }

    /// A message frame at log position `position` (skipped when the replay covered it).
    func send(_ frame: String, at position: UInt64) {
        guard position > skipThrough else { return }
        send(frame)
    }

    /// Ends the queue: the socket writes what is queued (a kickout frame, say) and closes.
    func finish(slow: Bool = false, reason: String) {
        guard closed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        // The closing item may not fit a full queue: the stream's end closes the socket then.
        continuation.yield(.close(slow: slow, reason: reason))
        continuation.finish()
    }
}
