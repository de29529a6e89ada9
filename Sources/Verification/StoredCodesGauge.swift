import EventSourcing
import ServerKit
import ServiceLifecycle

/// Publishes how many codes the read model holds, every second (a count kept by the
/// trie: O(1) under the read model's lock).
struct StoredCodesGauge: Service {
    let codes: LiveProjection<VerificationsReadModel>
    let gauge: MetricGauge

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                gauge.set(Double(codes.read { model, _ in model.codes.count }))
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
