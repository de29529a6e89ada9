import Prometheus

// The handles `MetricsRegistry` gives out: what recording needs and nothing of
// Prometheus' API, so domains record metrics without importing it.

/// A counter's series.
public struct MetricCounter: Sendable {
    let counter: Counter

    public func increment(by amount: Int64 = 1) { counter.increment(by: amount) }
}

/// A gauge's series.
public struct MetricGauge: Sendable {
    let gauge: Gauge

    public func set(_ value: Double) { gauge.set(to: value) }
    public func increment(by amount: Double = 1) { gauge.increment(by: amount) }
    public func decrement(by amount: Double = 1) { gauge.decrement(by: amount) }
}

/// A histogram's series of plain values.
public struct MetricHistogram: Sendable {
    let histogram: ValueHistogram

    public func record(_ value: Double) { histogram.record(value) }
}

/// A histogram's series of durations (exposed in seconds).
public struct MetricDurations: Sendable {
    let histogram: DurationHistogram

    public func record(_ duration: Duration) { histogram.record(duration) }
}
