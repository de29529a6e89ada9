import Synchronization

/// Events appended over a measured time.
struct Measurement: Sendable {
    var events: Int
    var seconds: Double

    var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }

    /// Times `work`, which returns how many events it appended.
    static func time(_ work: () async throws -> Int) async rethrows -> Measurement {
        let clock = ContinuousClock()
        let start = clock.now
        let events = try await work()
        return Measurement(events: events, seconds: (clock.now - start).seconds)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// A point in time after which writers stop taking new work.
struct Deadline: Sendable {
    private let end: ContinuousClock.Instant

    init(after duration: Duration) { end = ContinuousClock.now + duration }

    var passed: Bool { ContinuousClock.now >= end }
}
