/// The log as commands see it: an append returns once its events are durable *and* every
/// read model has applied them (`ProjectionRuntime.applied(through:)`), so a read after a
/// command's 2xx sees its effect although read models run off the writer thread.
/// Everything else goes straight to the log.
public struct AppliedLog: EventLogDecorator, LogHealthReporting {
    public let inner: any EventLog
    public let runtime: ProjectionRuntime

    public init(_ inner: any EventLog, runtime: ProjectionRuntime) {
        self.inner = inner
        self.runtime = runtime
    }

    /// Appends; returns once the events are applied. A conflict (`wrongExpectedVersion`)
    /// is thrown only once the read models have applied everything committed so far, so
    /// the caller's retry decides on a model that shows what beat it.
    public func append(_ request: AppendRequest) async throws -> AppendOutcome {
        let outcome: AppendOutcome
        do {
            outcome = try await inner.append(request)
        } catch let error as EventLogError where error.code == .wrongExpectedVersion {
            await runtime.applied(through: try await inner.head().size)
            throw error
        }
        if case .appended(let events, _) = outcome, let last = events.last?.position {
            await runtime.applied(through: last)
        }
        return outcome
    }

    public var health: LogHealth { (inner as? any LogHealthReporting)?.health ?? .ok }
}
