import EventSourcing
import ServiceLifecycle

/// The delivery worker, run for the server's lifetime on the commit feed and stopped with it.
struct DeliveryService: Service {
    let worker: DeliveryWorker
    let feed: CommitFeed

    func run() async throws {
        await cancelWhenGracefulShutdown { await worker.run(feed: feed) }
    }
}
