/// How events reach a store in one measurement: sequential batches of `size` events
/// (one transaction each), or `writers` concurrent writers appending one event at a time.
enum AppendShape: Sendable, CaseIterable {
    case batch1, batch100, batch1000, concurrent64

    /// The key in the JSON output.
    var key: String {
        switch self {
        case .batch1: "batch_1"
        case .batch100: "batch_100"
        case .batch1000: "batch_1000"
        case .concurrent64: "concurrent_64"
        }
    }

    var batchSize: Int {
        switch self {
        case .batch1, .concurrent64: 1
        case .batch100: 100
        case .batch1000: 1000
        }
    }

    var writers: Int { self == .concurrent64 ? 64 : 1 }

    /// Events offered to each store; a store stops earlier at the deadline.
    func events(quick: Bool) -> Int {
        let full = switch self {
        case .batch1: 5_000
        case .batch100: 200_000
        case .batch1000: 600_000
        case .concurrent64: 64_000
        }
        return quick ? full / 10 : full
    }

    func deadline(quick: Bool) -> Duration { quick ? .seconds(2) : .seconds(10) }
}
