import EventSourcing

/// A value in `streams`: BE UInt64 last version ++ BE UInt64 position of the last event.
struct StreamEntry: Hashable {
    var version: StreamVersion
    var lastPosition: LogPosition

    static let none = StreamEntry(version: 0, lastPosition: 0)

    var bytes: [UInt8] {
        var out = BigEndian.bytes(version)
        BigEndian.append(lastPosition, to: &out)
        return out
    }

    init(version: StreamVersion, lastPosition: LogPosition) {
        self.version = version
        self.lastPosition = lastPosition
    }

    init(_ raw: UnsafeRawBufferPointer, stream: StreamID) throws {
        guard raw.count == 16, let version = BigEndian.uint64(raw), let position = BigEndian.uint64(raw, at: 8) else {
            throw EventLogError(.corrupt, "malformed stream index entry for \(stream)")
        }
        self.init(version: version, lastPosition: position)
    }
}
