import EventSourcing

/// Whether this instance can serve (`/readyz`): the log accepts writes, no read model has
/// failed, and the read models trail the head by at most `lagLimit` events. Liveness
/// (`/healthz`) is separate: a full disk makes an instance unready, and restarting it
/// would not help.
struct Readiness: Sendable {
    let log: any EventLog
    let runtime: ProjectionRuntime
    let lagLimit: UInt64

    struct Report: Encodable {
        var status: String
        var head: UInt64
        var applied: UInt64
        var reasons: [String]
    }

    func check() async throws -> Report {
        let head = try await log.head().size
        let applied = runtime.appliedPosition
        var reasons: [String] = []
        if let reporting = log as? any LogHealthReporting, case .failing(let reason) = reporting.health {
            reasons.append("log cannot write: \(reason)")
        }
        for model in runtime.projections where model.failure != nil {
            reasons.append("read model \(model.name) stopped at a bad event")
        }
        if head > applied, head - applied > lagLimit {
            reasons.append("read models trail the log by \(head - applied) events")
        }
        return Report(status: reasons.isEmpty ? "ready" : "unavailable", head: head, applied: applied, reasons: reasons)
    }
}
