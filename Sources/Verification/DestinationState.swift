public import EventSourcing

/// One destination's sends, folded from its `destination-<id>` stream: what the resend
/// gap and the hourly limit are decided on, and which code is pending per operation.
public struct DestinationState: Hashable, Sendable {
    /// Send times within the last hour of the newest send (older ones no longer count).
    public var recentSends: [Timestamp] = []
    /// The latest key sent per operation.
    public var latestKey: [String: String] = [:]
    public var version: StreamVersion = 0

    public init() {}

    /// The state after `event`, recorded at `time` as version `version` of the stream (the
    /// log's, not a count of this state's events: a destination the read model forgot
    /// starts again from an empty state at whatever version its stream has).
    public func evolved(by event: VerificationEvent, at time: Timestamp, version: StreamVersion) -> DestinationState {
        var next = self
        next.version = version
        if case .sendRecorded(let e) = event {
            let (key, operation) = (e.key, e.operation)
            next.recentSends = recentSends.filter { $0 > time.adding(seconds: -3600) } + [time]
            next.latestKey[operation] = key
        }
        return next
    }
}
