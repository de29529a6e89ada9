/// Keys in the order they were added, each with the event time after which it may go:
/// read models prune a few entries per event instead of scanning everything now and then
/// (a scan of every code, every 4,096 events, paused the commit path).
///
/// Entries leave from the front only, so one that is due waits behind an earlier one
/// that is not (by at most the spread of their lifetimes, an hour here). Pruning reads
/// only event time, so every replay prunes the same entries.
public struct ExpiryQueue: Sendable, Hashable {
    private var entries: [(due: Timestamp, key: String)] = []
    private var head = 0

    public init() {}

    public var count: Int { entries.count - head }

    /// The entries still queued, front first (for snapshots).
    public var pending: [(due: Timestamp, key: String)] { Array(entries[head...]) }

    public mutating func append(_ key: String, due: Timestamp) {
        entries.append((due, key))
    }

    /// Removes and returns the front keys that are due at `now`, at most `limit` of them.
    public mutating func popDue(at now: Timestamp, limit: Int = 4) -> [String] {
        var keys: [String] = []
        while head < entries.count, keys.count < limit, entries[head].due < now {
            keys.append(entries[head].key)
            head += 1
        }
        if head > 1024 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
        return keys
    }

    /// Writes the queued entries (for snapshots).
    public func write(to writer: inout BinaryWriter) {
        writer.write(UInt64(count))
        for entry in entries[head...] {
            writer.write(entry.due)
            writer.write(entry.key)
        }
    }

    /// Reads what `write(to:)` wrote.
    public init(from reader: inout BinaryReader) throws {
        for _ in 0..<(try reader.readUInt64()) {
            let due = try reader.readTimestamp()
            append(try reader.readString(), due: due)
        }
    }

    public static func == (lhs: ExpiryQueue, rhs: ExpiryQueue) -> Bool {
        lhs.count == rhs.count && zip(lhs.entries[lhs.head...], rhs.entries[rhs.head...]).allSatisfy { $0.due == $1.due && $0.key == $1.key }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries[head...] {
            hasher.combine(entry.due)
            hasher.combine(entry.key)
        }
    }
}
