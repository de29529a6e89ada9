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

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(10),
        maxIterations: 200
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

    Benchmark("Durable append, 64 concurrent single-event appenders") { benchmark, fixture in
        let requests = fixture.batches(of: 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<64 {
                group.addTask {
                    for index in stride(from: lane, to: requests.count, by: 64) {
                        _ = try await fixture.log.append(requests[index])
                    }
                }
            }
            try await group.waitForAll()
        }
    } setup: {
        try await AppendFixture.make()
    }

    Benchmark(
        "Full replay of 1M events into the projections",
        configuration: .init(
            metrics: [.wallClock, .throughput, .peakMemoryResident], scalingFactor: .mega, maxDuration: .seconds(60),
            maxIterations: 5)
    ) { benchmark, fixture in
        try await fixture.replayAll()
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
