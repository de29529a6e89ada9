import EventFixtures
import EventSourcing

/// One row of a SQL event store: the stream, its version, the encoded event.
struct EventRow: Sendable {
    var stream: String
    var version: Int64
    var body: [UInt8]
}

/// The events of one measurement, prepared before any clock starts: realistic samples
/// (`SampleEvents`) as Logbook requests and, for the SQL peers, as rows whose body is
/// the event envelope Logbook itself encodes (type, time, metadata, payload) before
/// compressing it. Every store gets exactly these events, in this order.
struct ShapeWorkload: Sendable {
    /// Appended untimed first, so every store starts warm (Logbook trains its dictionary).
    static let warmUpEvents = 5_000

    let shape: AppendShape
    let warmUp: [SampleEvents.Sample]
    let timed: [SampleEvents.Sample]
    let warmUpRows: [EventRow]
    let timedRows: [EventRow]

    init(shape: AppendShape, events: Int, seed: UInt64) {
        self.shape = shape
        var generator = SampleEvents(seed: seed)
        warmUp = generator.take(Self.warmUpEvents)
        timed = generator.take(events)
        warmUpRows = warmUp.map(Self.row)
        timedRows = timed.map(Self.row)
    }

    static func row(_ sample: SampleEvents.Sample) -> EventRow {
        guard case .exactly(let previous) = sample.expected else { preconditionFailure("samples carry versions") }
        return EventRow(stream: sample.stream.rawValue, version: Int64(previous) + 1,
                        body: EnvelopeCodec.encodeBody(sample.event, stream: sample.stream))
    }

    var averageBodyBytes: Int { timedRows.reduce(0) { $0 + $1.body.count } / max(timedRows.count, 1) }

    /// Splits `items` (index-aligned with `timed`) into `count` lanes; a stream's
    /// events stay in one lane, in order, as one client's commands to it would.
    func lanes<Item>(_ items: [Item], count: Int) -> [[Item]] {
        var lanes = [[Item]](repeating: [], count: count)
        for (index, item) in items.enumerated() {
            lanes[Int(UInt(bitPattern: timed[index].stream.hashValue) % UInt(count))].append(item)
        }
        return lanes
    }
}

extension Array {
    /// Consecutive slices of `size` elements (the last may be shorter).
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
