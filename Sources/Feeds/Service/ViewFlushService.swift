import EventSourcing
import ServiceLifecycle

/// Flushes the in-memory view counts once per `interval` for the server's lifetime, and
/// once more on a clean shutdown (so only a crash loses views: those of the last interval).
struct ViewFlushService: Service {
    let service: FeedsService
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                try? await service.flushViews()
            }
        }
        try? await service.flushViews()
    }
}
