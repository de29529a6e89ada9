/// A metric as a module declares it, once: its name by Prometheus' rules (`_total` for
/// counters, `_seconds` and `_bytes` for units), the HELP text, its kind and its label
/// names (bounded sets only: a route template, a channel, an outcome, never an id).
///
/// Declarations are typed (`CounterMetric`, `GaugeMetric`, `HistogramMetric`,
/// `DurationMetric`) so a name cannot be recorded as two kinds; each domain lists its
/// declarations in `Domain.metrics`, which the metric-name tests and the dashboard check
/// read.
public struct MetricDescription: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case counter, gauge, histogram
    }

    public let name: String
    public let help: String
    public let kind: Kind
    public let labels: [String]
}

/// A monotonically increasing count (`..._total`).
public struct CounterMetric: Sendable {
    public let description: MetricDescription

    public init(_ name: String, help: String, labels: [String] = []) {
        description = MetricDescription(name: name, help: help, kind: .counter, labels: labels)
    }
}

/// A value that goes up and down (a queue depth, a connection count, a lag).
public struct GaugeMetric: Sendable {
    public let description: MetricDescription

    public init(_ name: String, help: String, labels: [String] = []) {
        description = MetricDescription(name: name, help: help, kind: .gauge, labels: labels)
    }
}

/// A distribution of plain values (batch sizes, bytes).
public struct HistogramMetric: Sendable {
    public let description: MetricDescription
    public let buckets: [Double]

    public init(_ name: String, help: String, labels: [String] = [], buckets: [Double]) {
        description = MetricDescription(name: name, help: help, kind: .histogram, labels: labels)
        self.buckets = buckets
    }
}

/// A distribution of durations, exposed in seconds (`..._seconds`).
public struct DurationMetric: Sendable {
    public let description: MetricDescription
    public let buckets: [Duration]

    public init(_ name: String, help: String, labels: [String] = [], buckets: [Duration] = DurationMetric.latencyBuckets) {
        description = MetricDescription(name: name, help: help, kind: .histogram, labels: labels)
        self.buckets = buckets
    }

    /// 0.5 ms to 10 s: request and commit latencies.
    public static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
        .seconds(5), .seconds(10),
    ]
}
