public import Prometheus

/// The server's metrics: Prometheus' registry, fed only through declared metrics (so
/// every series has its HELP and TYPE lines and one kind per name), and served by
/// `/metrics`. Label values are given in the declaration's label order; a missing value
/// reads `unknown`, an extra one is dropped, so a caller cannot make Prometheus' registry
/// trap on a labeled/unlabeled mix.
public final class MetricsRegistry: Sendable {
    public let prometheus: PrometheusCollectorRegistry

    public init(_ prometheus: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.prometheus = prometheus
    }

    public func counter(_ metric: CounterMetric, _ values: String...) -> MetricCounter {
        let labels = Self.labels(metric.description, values)
        return MetricCounter(counter: prometheus.makeCounter(descriptor: Self.descriptor(metric.description), labels: labels))
    }

    public func gauge(_ metric: GaugeMetric, _ values: String...) -> MetricGauge {
        let labels = Self.labels(metric.description, values)
        return MetricGauge(gauge: prometheus.makeGauge(descriptor: Self.descriptor(metric.description), labels: labels))
    }

    public func histogram(_ metric: HistogramMetric, _ values: String...) -> MetricHistogram {
        let labels = Self.labels(metric.description, values)
        return MetricHistogram(histogram: prometheus.makeValueHistogram(
            descriptor: Self.descriptor(metric.description), labels: labels, buckets: metric.buckets))
    }

    public func durations(_ metric: DurationMetric, _ values: String...) -> MetricDurations {
        let labels = Self.labels(metric.description, values)
        return MetricDurations(histogram: prometheus.makeDurationHistogram(
            descriptor: Self.descriptor(metric.description), labels: labels, buckets: metric.buckets))
    }

    /// Creates the unlabeled counters and gauges of `descriptions` at zero, so a scrape shows
    /// them before anything happened (labeled series and histograms appear when first used).
    public func preregister(_ descriptions: [MetricDescription]) {
        for description in descriptions where description.labels.isEmpty {
            switch description.kind {
            case .counter: _ = prometheus.makeCounter(descriptor: Self.descriptor(description), labels: [])
            case .gauge: _ = prometheus.makeGauge(descriptor: Self.descriptor(description), labels: [])
            case .histogram: continue
            }
        }
    }

    /// The exposition text (`/metrics`).
    public func emit() -> [UInt8] {
        var buffer = [UInt8]()
        prometheus.emit(into: &buffer)
        return buffer
    }

    /// The whole name as the descriptor's base name (the names are constants, never empty).
    private static func descriptor(_ description: MetricDescription) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: description.name, unitName: "", helpText: description.help)
    }

    private static func labels(_ description: MetricDescription, _ values: [String]) -> [(String, String)] {
        description.labels.enumerated().map { index, name in (name, index < values.count ? values[index] : "unknown") }
    }
}
