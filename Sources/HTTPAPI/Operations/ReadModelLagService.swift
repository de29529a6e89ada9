import EventSourcing
import ServerKit
import ServiceLifecycle

/// Publishes how many committed events the read models have not applied yet, every second
/// (`logbook_read_model_lag_events`; `/readyz` reads the same gap).
struct ReadModelLagService: Service {
    let log: any EventLog
    let runtime: ProjectionRuntime
    let metrics: MetricsRegistry

    func run() async throws {
        let lag = metrics.gauge(OperationsMetrics.readModelLag)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if let head = try? await log.head().size {
                    let applied = runtime.appliedPosition
                    lag.set(Double(head > applied ? head - applied : 0))
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
