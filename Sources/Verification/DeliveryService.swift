import ServiceLifecycle

/// The delivery worker, run for the server's lifetime and stopped with it.
struct DeliveryService: Service {
    let worker: DeliveryWorker

    func run() async throws {
        await cancelWhenGracefulShutdown { await worker.run() }
    }
}
