public import EventSourcing
import Groups
import HashTreeCollections
import Members
import Synchronization
import Logging
public import ServerKit

/// The sockets of `GET /v1/stream` by member, and what reaches them: message frames as
/// the dispatcher reads committed messages from the commit feed (so a frame leaves only
/// once its message is durable), kickouts as sessions are revoked, and broadcasts.
///
/// One lock guards the registry and the dispatcher's position: a socket registering reads
/// the position under it, so every message after that position reaches it live, and its
/// replay covers everything up to it; frames at or before its cursor are skipped. So the
/// seam between replay and live has no gap and no duplicate.
public final class Gateway: Sendable {
    struct Registry {
        var byMember: [String: [Int: GatewayConnection]] = [:]
        var count = 0
        var nextID = 0
        /// The last log position the dispatcher delivered.
        var delivered: LogPosition
    }

    /// Frames a socket may have queued before it is closed as a slow consumer.
    public let queueCapacity: Int
    private let registry: Mutex<Registry>
    private let sockets: MetricGauge
    private let frames: MetricCounter
    private let kickouts: MetricCounter
    let slowConsumers: MetricCounter

    public init(queueCapacity: Int, start: LogPosition, metrics: MetricsRegistry) {
        self.queueCapacity = max(1, queueCapacity)
        registry = Mutex(Registry(delivered: start))
        sockets = metrics.gauge(MessagingMetrics.sockets)
        frames = metrics.counter(MessagingMetrics.frames)
        kickouts = metrics.counter(MessagingMetrics.kickouts)
        slowConsumers = metrics.counter(MessagingMetrics.slowConsumers)
    }

    /// Open sockets.
    public var connectionCount: Int { registry.withLock { $0.count } }

    /// Registers a socket; returns it and the position from which it gets live frames.
    /// Live message frames at or before `skipThrough` (the client's cursor) are not sent.
    func register(memberID: String, sessionID: String, skipThrough: LogPosition) -> (GatewayConnection, LogPosition) {
        registry.withLock { registry in
            registry.nextID += 1
            let connection = GatewayConnection(
                id: registry.nextID, memberID: memberID, sessionID: sessionID, capacity: queueCapacity, skipThrough: skipThrough,
                onSlow: slowConsumers)
            registry.byMember[memberID, default: [:]][connection.id] = connection
            registry.count += 1
            sockets.increment()
            return (connection, registry.delivered)
        }
    }

    func unregister(_ connection: GatewayConnection) {
        registry.withLock { registry in
            guard registry.byMember[connection.memberID]?.removeValue(forKey: connection.id) != nil else { return }
            if registry.byMember[connection.memberID]?.isEmpty == true { registry.byMember[connection.memberID] = nil }
            registry.count -= 1
            sockets.decrement()
        }
    }

    /// Delivers committed messages (`frames`: each message's frame, its position and its
    /// recipients), then records `through` as delivered.
    func deliver(_ frames: [(frame: String, position: LogPosition, to: [String])], through: LogPosition) {
        let queued = registry.withLock { registry in
            var queued = 0
            for (frame, position, members) in frames {
                for member in members {
                    guard let connections = registry.byMember[member] else { continue }
                    for connection in connections.values where connection.send(frame, at: position) { queued += 1 }
                }
            }
            registry.delivered = max(registry.delivered, through)
            return queued
        }
        if queued > 0 { self.frames.increment(by: Int64(queued)) }
    }

    /// Whether `memberID` has an open socket (the dispatcher opens bodies only for those).
    func isOnline(_ memberID: String) -> Bool { registry.withLock { $0.byMember[memberID] != nil } }

    /// The members of `group` with an open socket, walking the smaller side: the group's
    /// members when they are fewer than the members online (one lookup each), else the
    /// members online (copied under the lock, then looked up in the group outside it). A
    /// message to a group of 100,000 with a few hundred members online costs those few
    /// hundred lookups, not 100,000.
    func online(among group: TreeDictionary<String, GroupMembership>) -> [String] {
        let online = registry.withLock { $0.byMember.count < group.count ? Array($0.byMember.keys) : nil }
        guard let online else { return group.keys.filter(isOnline) }
        return online.filter { group[$0] != nil }
    }

    /// Sends `kickout` to the sockets of the ended sessions, then closes them.
    func kick(memberID: String, sessionIDs: [String], reason: String) {
        let ended = Set(sessionIDs)
        let targets = registry.withLock { registry in (registry.byMember[memberID] ?? [:]).values.filter { ended.contains($0.sessionID) } }
        let frame = StreamFrames.text(StreamFrames.KickoutFrame(reason: reason))
        for connection in targets {
            connection.send(frame)
            connection.finish(reason: "kickout: \(reason)")
        }
        if !targets.isEmpty { kickouts.increment(by: Int64(targets.count)) }
    }

    /// Sends a broadcast frame to every open socket; returns how many.
    @discardableResult
    public func broadcast(_ content: String) -> Int {
        let all = registry.withLock { registry in registry.byMember.values.flatMap(\.values) }
        let frame = StreamFrames.text(StreamFrames.BroadcastFrame(content: content))
        for connection in all { connection.send(frame) }
        if !all.isEmpty { frames.increment(by: Int64(all.count)) }
        return all.count
    }

    /// Closes every socket (shutdown).
    func closeAll(reason: String) {
        let all = registry.withLock { registry in registry.byMember.values.flatMap(\.values) }
        for connection in all { connection.finish(reason: reason) }
    }
}
