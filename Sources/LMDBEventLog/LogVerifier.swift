public import EventSourcing
import LMDB

/// What a full verification of a log found.
public struct VerificationReport: Sendable, Hashable {
    /// Records checked.
    public var events: UInt64 = 0
    /// Distinct streams seen.
    public var streams: Int = 0
    /// The root recomputed from the records.
    public var recomputedRoot: MerkleHash = .empty
    /// The head the log stores.
    public var storedHead: LogHead = .empty
    /// The first position that failed a check, and why.
    public var firstFailure: (position: LogPosition, reason: String)? {
        get { failure.map { ($0.position, $0.reason) } }
        set { failure = newValue.map { Failure(position: $0.position, reason: $0.reason) } }
    }
    private var failure: Failure?

    private struct Failure: Sendable, Hashable {
        var position: LogPosition
        var reason: String
    }

    /// True when every record decoded, positions and versions were gapless, the
    /// index agreed, and the recomputed root equals the stored one.
    public var isValid: Bool { failure == nil && recomputedRoot == storedHead.root && events == storedHead.size }
}

extension LMDBEventLog {
    /// Reads every record in one read transaction (safe next to a running writer) and checks:
    /// positions gapless from 1, each record decodes, each stream's versions run 1, 2, 3, ...,
    /// the stream index holds one entry per event, and the Merkle root recomputed from the
    /// record bytes equals the stored head. `progress` is called every 65,536 events.
    public func verify(progress: (UInt64) -> Void = { _ in }) throws -> VerificationReport {
        try environment.read { txn in
            var report = VerificationReport()
            guard let rawHead = try txn.get(databases.meta, key: MetaKey.head) else {
                report.storedHead = .empty
                return report
            }
            report.storedHead = try HeadFormat.decode(rawHead)
            var frontier = MerkleFrontier()
            var versions: [StreamID: StreamVersion] = [:]
            try txn.withCursor(databases.log) { cursor in
                var entry = try cursor.move(.first)
                while let (key, record) = entry {
                    let position = frontier.size + 1
                    if report.firstFailure == nil {
                        if let reason = check(key: key, record: record, position: position, versions: &versions) {
                            report.firstFailure = (position, reason)
                        }
                    }
                    frontier.append(.leaf(record))
                    if frontier.size & 0xFFFF == 0 { progress(frontier.size) }
                    entry = try cursor.move(.next)
                }
            }
            report.events = frontier.size
            report.streams = versions.count
            report.recomputedRoot = frontier.root
            let indexed = try txn.entryCount(databases.streams)
            if report.firstFailure == nil && UInt64(indexed) != frontier.size {
                report.firstFailure = (frontier.size, "stream index holds \(indexed) entries for \(frontier.size) events")
            }
            if report.firstFailure == nil && report.recomputedRoot != report.storedHead.root {
                report.firstFailure = (frontier.size, "recomputed root differs from the stored head")
            }
            return report
        }
    }

    private func check(
        key: UnsafeRawBufferPointer, record: UnsafeRawBufferPointer, position: LogPosition,
        versions: inout [StreamID: StreamVersion]
    ) -> String? {
        guard BigEndian.uint64(key) == position else { return "expected position \(position), found another key" }
        let event: RecordedEvent
        do {
            event = try codec.decode(record, position: position)
        } catch {
            return "record does not decode: \(error)"
        }
        let expected = (versions[event.stream] ?? 0) + 1
        guard event.version == expected else {
            return "stream \(event.stream) has version \(event.version), expected \(expected)"
        }
        versions[event.stream] = expected
        return nil
    }
}
