public import EventSourcing
public import Verification

/// Every read model the server keeps, built in memory for audits.
public struct ReadModels {
    public let verifications = LiveProjection<VerificationsReadModel>()
    public let captchas = LiveProjection<CaptchasReadModel>()
    public let statistics = LiveProjection<LogStatistics>()

    public init() {}

    public var all: [any AnyLiveProjection] { [verifications, captchas, statistics] }

    /// Name, entry count and digest of each model.
    public var summary: [(name: String, entries: Int, digest: String)] {
        [
            (VerificationsReadModel.name, verifications.read { model, _ in model.codes.count + model.destinations.count },
             verifications.digest),
            (CaptchasReadModel.name, captchas.read { model, _ in model.captchas.count }, captchas.digest),
            (LogStatistics.name, statistics.read { model, _ in Int(model.totalEvents) }, statistics.digest),
        ]
    }
}

/// Rebuilds the read models from position 1 up to a position or a time: what the system
/// believed then. A time stops before the first event stamped later than it.
public enum Replay {
    public enum Limit: Sendable {
        case everything
        case position(LogPosition)
        case time(Timestamp)
    }

    /// Replays and returns the models, the last position applied and its event time.
    public static func run(
        log: any EventLog, until limit: Limit, progress: Progress? = nil
    ) async throws -> (models: ReadModels, position: LogPosition, time: Timestamp?) {
        let models = ReadModels()
        for model in models.all { try model.restore(from: nil) }
        var next: LogPosition = 1
        var lastTime: Timestamp?
        outer: while true {
            let batch = try await log.read(from: next, limit: 4096)
            if batch.isEmpty { break }
            var taken = batch[...]
            switch limit {
            case .everything: break
            case .position(let last): taken = batch.prefix { $0.position <= last }
            case .time(let time): taken = batch.prefix { $0.timestamp <= time }
            }
            let slice = Array(taken)
            for model in models.all { try model.catchUp(with: slice) }
            if let last = slice.last {
                next = last.position + 1
                lastTime = last.timestamp
            }
            progress?.update(next - 1)
            if slice.count < batch.count { break outer }
        }
        progress?.finish(next - 1)
        return (models, next - 1, lastTime)
    }
}
