// Benchmarks of the durable event log (run: tools/bench, or
// `swift package --package-path Benchmarks benchmark`).
//
// Every append benchmark's iteration appends exactly 1,000 events, so with the
// scaling factor of 1,000 the throughput column reads in events per second.
// Logs live on the real disk under .build-bench-data (fsync on every commit).
import Benchmark
import EventFixtures
import EventSourcing
import LMDBEventLog

/// Events per second, measured around the work itself.
enum EventRate {
    static let metric = BenchmarkMetric.custom("Events per second", polarity: .prefersLarger)

    static func measure(events: Int, _ work: () async throws -> Void) async throws -> Int {
        let clock = ContinuousClock()
        let start = clock.now
        try await work()
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Int(Double(events) / seconds)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(10),
        maxIterations: AppendFixture.maxIterations
    )

    for batchSize in [1, 100, 1000] {
        Benchmark("Durable append, batches of \(batchSize)") { benchmark, fixture in
            for batch in fixture.batches(of: batchSize) {
                _ = try await fixture.log.append(batch)
            }
        } setup: {
            try await AppendFixture.make()
        }
    }

    Benchmark("Durable append, batches of 1000, uniformly random streams") { benchmark, fixture in
        for batch in fixture.batches(of: 1000) { _ = try await fixture.log.append(batch) }
    } setup: {
        try await AppendFixture.make(pattern: .uniform(pool: 100_000))
    }

    // 16,000 events per iteration (250 per appender), so ramp-up and ramp-down of the
    // 64 tasks do not dominate; the custom metric gives events per second exactly.
    Benchmark(
        "Durable append, 64 concurrent single-event appenders",
        configuration: .init(
            metrics: [.wallClock, EventRate.metric], timeUnits: .milliseconds, scalingFactor: .one,
            maxDuration: .seconds(20), maxIterations: 10)
    ) { benchmark, fixture in
        let lanes = fixture.lanes(64, events: 16_000)
        let rate = try await EventRate.measure(events: 16_000) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in lanes {
                    group.addTask { for request in lane { _ = try await fixture.log.append(request) } }
                }
                try await group.waitForAll()
            }
        }
        benchmark.measurement(EventRate.metric, rate)
    } setup: {
        try await AppendFixture.make(events: 16_000 * 15)
    }

    Benchmark(
        "Full replay of 1M events into the projections",
        configuration: .init(
            metrics: [.wallClock, EventRate.metric, .peakMemoryResident], timeUnits: .milliseconds,
            scalingFactor: .one, maxDuration: .seconds(60), maxIterations: 5)
    ) { benchmark, fixture in
        let rate = try await EventRate.measure(events: ReplayFixture.eventCount) { try await fixture.replayAll() }
        benchmark.measurement(EventRate.metric, rate)
    } setup: {
        try await ReplayFixture.shared()
    }

    Benchmark(
        "Restart with 1M events and a recent checkpoint",
        configuration: .init(metrics: [.wallClock], timeUnits: .milliseconds, scalingFactor: .one,
                             maxDuration: .seconds(30), maxIterations: 10)
    ) { benchmark, fixture in
        try await fixture.restartFromCheckpoint()
    } setup: {
        try await ReplayFixture.shared()
    }

    Benchmark(
        "Storage per event (1M realistic events)",
        configuration: .init(
            metrics: StorageMetrics.all, scalingFactor: .one, maxDuration: .seconds(1), maxIterations: 1)
    ) { benchmark, fixture in
        for (metric, value) in fixture.storageFigures() { benchmark.measurement(metric, value) }
    } setup: {
        try await ReplayFixture.shared()
    }
}
