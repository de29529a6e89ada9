public import EventSourcing
public import Verification
public import Members
public import HTTPAPI

/// Every read model of every domain the server runs (the same domain list as
/// `logbookd`), built in memory for audits.
public struct ReadModels {
    public let domains: LogbookDomains

    public init(log: any EventLog) async throws { domains = try await .audit(log: log) }

    public var all: [any AnyLiveProjection] { domains.readModels }
    public var verifications: LiveProjection<VerificationsReadModel> { domains.verification.codes }
    public var captchas: LiveProjection<CaptchasReadModel> { domains.verification.captchaModel }
    public var members: LiveProjection<MembersReadModel> { domains.members.model }
    public var statistics: LiveProjection<LogStatistics> { domains.operations.statistics }

    /// Name, last position folded in and digest of each model. The digests are computed
    /// side by side (each encodes and hashes a whole model: a seventh of `logbook replay`
    /// of a million events, one after another).
    public var summary: [(name: String, position: LogPosition, digest: String)] {
        all.map { ($0.name, $0.copyForDigest()) }.concurrentMap { ($0.0, $0.1.position, $0.1.digest()) }
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

    /// Events read at once.
    static let batchSize = 16_384

    /// Replays and returns the models, the last position applied and its event time.
    public static func run(
        log: any EventLog, until limit: Limit, progress: Progress? = nil
    ) async throws -> (models: ReadModels, position: LogPosition, time: Timestamp?) {
        let models = try await ReadModels(log: log)
        for model in models.all { try model.restore(from: nil) }
        var next: LogPosition = 1
        var lastTime: Timestamp?
        // The next batch is read (and decompressed) while the models apply this one.
        var batch = try await log.read(from: 1, limit: batchSize)
        while !batch.isEmpty {
            let current = batch
            async let prefetch = log.read(from: current[current.count - 1].position + 1, limit: batchSize)
            let taken: ArraySlice<RecordedEvent>
            switch limit {
            case .everything: taken = current[...]
            case .position(let last): taken = current.prefix { $0.position <= last }
            case .time(let time): taken = current.prefix { $0.timestamp <= time }
            }
            let slice = Array(taken)
            try await ProjectionRuntime.catchUp(models.all, with: slice)
            if let last = slice.last {
                next = last.position + 1
                lastTime = last.timestamp
            }
            progress?.update(next - 1)
            if slice.count < current.count { break }
            batch = try await prefetch
        }
        progress?.finish(next - 1)
        return (models, next - 1, lastTime)
    }
}
