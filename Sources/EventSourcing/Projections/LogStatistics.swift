/// A read model of the log itself: events per type and per stream category,
/// streams per category, and payload bytes. Used by operators and as the
/// projection every log has, even before any domain is wired in.
public struct LogStatistics: Projection, Hashable {
    public static let name = "log-statistics"
    public static let formatVersion: UInt32 = 1

    /// Events per type string.
    public private(set) var eventsByType: [String: UInt64] = [:]
    /// Events per stream category.
    public private(set) var eventsByCategory: [String: UInt64] = [:]
    /// Streams per category (counted at their first event).
    public private(set) var streamsByCategory: [String: UInt64] = [:]
    /// Sum of payload sizes.
    public private(set) var payloadBytes: UInt64 = 0
    /// Event time of the first and last event.
    public private(set) var firstEventTime: Timestamp?
    public private(set) var lastEventTime: Timestamp?

    /// The last category seen, so a run of events in one category allocates no string.
    private var lastCategory = ""

    public init() {}

    public static func == (lhs: LogStatistics, rhs: LogStatistics) -> Bool { lhs.snapshot() == rhs.snapshot() }
    public func hash(into hasher: inout Hasher) { hasher.combine(snapshot()) }

    /// All events folded in.
    public var totalEvents: UInt64 { eventsByType.values.reduce(0, +) }

    public mutating func apply(_ event: RecordedEvent) throws {
        eventsByType[event.type, default: 0] += 1
        let stream = event.stream.category
        if stream != lastCategory { lastCategory = String(stream) }
        let category = lastCategory
        eventsByCategory[category, default: 0] += 1
        if event.version == 1 { streamsByCategory[category, default: 0] += 1 }
        payloadBytes += UInt64(event.payload.count)
        if firstEventTime == nil { firstEventTime = event.timestamp }
        lastEventTime = event.timestamp
    }

    public func snapshot() -> [UInt8] {
        var writer = BinaryWriter()
        for counts in [eventsByType, eventsByCategory, streamsByCategory] {
            writer.write(UInt64(counts.count))
            for (key, count) in counts.sorted(by: { $0.key < $1.key }) {
                writer.write(key)
                writer.write(count)
            }
        }
        writer.write(payloadBytes)
        writer.write(firstEventTime)
        writer.write(lastEventTime)
        return writer.bytes
    }

    public init(snapshot: [UInt8]) throws {
        self.init()
        try BinaryReader.read(snapshot) { reader in
            var maps: [[String: UInt64]] = []
            for _ in 0..<3 {
                var map: [String: UInt64] = [:]
                for _ in 0..<(try reader.readUInt64()) { map[try reader.readString()] = try reader.readUInt64() }
                maps.append(map)
            }
            (eventsByType, eventsByCategory, streamsByCategory) = (maps[0], maps[1], maps[2])
            payloadBytes = try reader.readUInt64()
            firstEventTime = try reader.readOptionalTimestamp()
            lastEventTime = try reader.readOptionalTimestamp()
        }
    }
}
