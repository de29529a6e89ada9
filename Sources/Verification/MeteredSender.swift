import ServerKit

/// A sender that counts its deliveries by channel and outcome and times each call
/// (`logbook_deliveries_total`, `logbook_delivery_duration_seconds`).
struct MeteredSender: Sender {
    let sender: any Sender
    let sent: MetricCounter
    let failed: MetricCounter
    let duration: MetricDurations

    init(_ sender: any Sender, channel: Destination.Channel, metrics: MetricsRegistry) {
        self.sender = sender
        sent = metrics.counter(VerificationMetrics.deliveries, channel.rawValue, "sent")
        failed = metrics.counter(VerificationMetrics.deliveries, channel.rawValue, "failed")
        duration = metrics.durations(VerificationMetrics.deliveryDuration, channel.rawValue)
    }

    func send(_ message: DeliveryMessage) async throws {
        let start = ContinuousClock.now
        defer { duration.record(ContinuousClock.now - start) }
        do {
            try await sender.send(message)
            sent.increment()
        } catch {
            failed.increment()
            throw error
        }
    }
}
