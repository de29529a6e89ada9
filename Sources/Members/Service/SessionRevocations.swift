public import EventSourcing
import Synchronization

/// Sessions ended by the log (logout, password change or reset, disabling, deletion),
/// published as they commit, so a live socket of a revoked session can be kicked out
/// (seed 001's kickout; the sockets come with messaging).
public final class SessionRevocations: Sendable {
    public struct Revocation: Hashable, Sendable {
        public var memberID: String
        public var sessionIDs: [String]
        public var reason: String
    }

    private let subscribers = Mutex<[Int: AsyncStream<Revocation>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    /// How many revocations wait for a slow subscriber before it is cut off.
    public static let bufferLimit = 1024

    /// Every revocation committed from now on. Nothing is ever dropped from the stream: a
    /// subscriber that falls `bufferLimit` behind has its stream finished instead, and must
    /// treat that as "everything may be revoked" (a gateway closes its sockets, whose
    /// clients reconnect and authenticate again).
    public func subscribe() -> AsyncStream<Revocation> {
        let (stream, continuation) = AsyncStream<Revocation>.makeStream(bufferingPolicy: .bufferingOldest(Self.bufferLimit))
        let id = nextID.wrappingAdd(1, ordering: .relaxed).newValue
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in _ = self?.subscribers.withLock { $0.removeValue(forKey: id) } }
        return stream
    }

    /// Publishes the `sessions-ended` events of a committed batch (the log's commit path: quick).
    public func publish(from batch: [RecordedEvent]) {
        for event in batch where event.type == SessionsEnded.type {
            guard let ended = try? SessionsEnded(payload: event.payload), !ended.ids.isEmpty else { continue }
            let revocation = Revocation(memberID: String(event.stream.id), sessionIDs: ended.ids, reason: ended.reason)
            for (id, continuation) in subscribers.withLock({ $0 }) {
                if case .dropped = continuation.yield(revocation) {
                    continuation.finish()
                    _ = subscribers.withLock { $0.removeValue(forKey: id) }
                }
            }
        }
    }
}
