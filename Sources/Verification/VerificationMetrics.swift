public import ServerKit

/// The verification domain's metrics.
public enum VerificationMetrics {
    public static let deliveries = CounterMetric(
        "logbook_deliveries_total", help: "Delivery attempts of codes by channel and outcome (sent or failed).",
        labels: ["channel", "outcome"])
    public static let deliveryDuration = DurationMetric(
        "logbook_delivery_duration_seconds", help: "Time a gateway took to accept or refuse one delivery.", labels: ["channel"])

    public static let codesStored = GaugeMetric(
        "logbook_verification_codes_stored",
        help: "Codes the read model holds: live ones and expired ones kept for the retention (a day) before they are pruned.")

    public static let all = [deliveries.description, deliveryDuration.description, codesStored.description]
}
