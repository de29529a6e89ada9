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
    /// positions gapless from 1, each record decodes, each stream's versions run 1, 2, 3, ...
    /// with back-pointers to the stream's previous event, the `streams` database holds each
    /// stream's last version and position as of the position it records (or, for entries a
    /// fold in progress already wrote, a later true version and position), and the Merkle
    /// root recomputed from the
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
            var streams: [StreamID: StreamEntry] = [:]
            let persisted = try StreamIndex.persistedPosition(txn: txn, databases: databases)
            var streamsAtPersisted: [StreamID: StreamEntry] = [:]
            var decoder = RecordBatchDecoder(codec: codec)
            try txn.withCursor(databases.log) { cursor in
                var entry = try cursor.move(.first)
                while let (key, record) = entry {
                    let position = frontier.size + 1
                    if report.firstFailure == nil {
                        if let reason = check(key: key, record: record, position: position, decoder: &decoder, streams: &streams) {
                            report.firstFailure = (position, reason)
                        }
                    }
                    var storedGroupDiffers = false
                    frontier.append(.leaf(record)) { level, index, hash in
                        if level == MerkleNodeLayout.storedLevel && report.firstFailure == nil,
                            (try? StoredMerkleNodes(txn: txn, databases: databases).node(level: level, index: index)) != hash
                        {
                            storedGroupDiffers = true
                        }
                    }
                    if storedGroupDiffers {
                        // The records decode but their bytes changed: the stored level-4 node
                        // narrows it to these 16 records.
                        let first = position - 15
                        report.firstFailure = (first, "records \(first)-\(position) differ from their stored Merkle node")
                    }
                    if position == persisted { streamsAtPersisted = streams }
                    if frontier.size & 0xFFFF == 0 { progress(frontier.size) }
                    entry = try cursor.move(.next)
                }
            }
            report.events = frontier.size
            report.streams = streams.count
            report.recomputedRoot = frontier.root
            if report.firstFailure == nil && persisted > frontier.size {
                report.firstFailure = (frontier.size, "stream index claims position \(persisted) past the end")
            }
            if report.firstFailure == nil,
                let problem = try checkIndex(txn: txn, against: streamsAtPersisted, latest: streams, decoder: &decoder)
            {
                report.firstFailure = (frontier.size, problem)
            }
            if report.firstFailure == nil && report.recomputedRoot != report.storedHead.root {
                report.firstFailure = (frontier.size, "recomputed root differs from the stored head")
            }
            return report
        }
    }

    private func check(
        key: UnsafeRawBufferPointer, record: UnsafeRawBufferPointer, position: LogPosition,
        decoder: inout RecordBatchDecoder, streams: inout [StreamID: StreamEntry]
    ) -> String? {
        guard BigEndian.uint64(key) == position else { return "expected position \(position), found another key" }
        let event: RecordedEvent
        let header: RecordFormat.Header
        do {
            header = try RecordFormat.header(of: record)
            event = try decoder.decode(record, position: position)
        } catch {
            return "record does not decode: \(error)"
        }
        let previous = streams[event.stream] ?? .none
        guard event.version == previous.version + 1 else {
            return "stream \(event.stream) has version \(event.version), expected \(previous.version + 1)"
        }
        let distance = previous.version == 0 ? 0 : position - previous.lastPosition
        guard header.previousDistance == distance else {
            return "stream \(event.stream) back-pointer is \(header.previousDistance), expected \(distance)"
        }
        streams[event.stream] = StreamEntry(version: event.version, lastPosition: position)
        return nil
    }

    /// Compares the stream index with what the records say; returns the first difference.
    /// Every stream as of the recorded position must be there with that entry, except that
    /// a fold in progress may already have written a later entry: then that entry must
    /// name the stream's event of that version.
    private func checkIndex(
        txn: Transaction, against streams: [StreamID: StreamEntry], latest: [StreamID: StreamEntry],
        decoder: inout RecordBatchDecoder
    ) throws -> String? {
        var covered = 0
        let problem: String? = try txn.withCursor(databases.streams) { cursor in
            var entry = try cursor.move(.first)
            while let (key, value) = entry {
                guard let stream = StreamID(String(decoding: key, as: UTF8.self)) else { return "invalid stream name in the index" }
                let stored = try StreamEntry(value, stream: stream)
                let expected = streams[stream]
                if expected != nil { covered += 1 }
                if stored != expected {
                    guard stored.version > expected?.version ?? 0, stored.version <= latest[stream]?.version ?? 0,
                        let record = try txn.get(databases.log, key: BigEndian.bytes(stored.lastPosition)),
                        let event = try? decoder.decode(record, position: stored.lastPosition),
                        event.stream == stream, event.version == stored.version
                    else { return "stream index entry for \(stream) differs from its records" }
                }
                entry = try cursor.move(.next)
            }
            return nil
        }
        if let problem { return problem }
        guard covered == streams.count else {
            return "stream index holds \(covered) of the \(streams.count) streams of the records up to its position"
        }
        return nil
    }
}
