import Foundation
public import EventSourcing
public import LMDBEventLog

/// `logbook stats`: what the log holds and what it costs.
public struct StatsReport {
    public var head: LogHead
    public var fileBytes: Int
    public var eventsByType: [String: UInt64]
    public var eventsByCategory: [String: UInt64]
    public var streamsByCategory: [String: UInt64]
    /// Per dictionary id (0: none): records, body bytes before compression, stored bytes.
    public var byDictionary: [UInt32: (records: Int, bodyBytes: Int, storedBytes: Int)]
    public var dictionarySizes: [UInt32: Int]

    public static func make(log: LMDBEventLog, progress: Progress? = nil) async throws -> StatsReport {
        let head = try await log.head()
        var byDictionary: [UInt32: (records: Int, bodyBytes: Int, storedBytes: Int)] = [:]
        try log.forEachRecord { info in
            byDictionary[info.dictionaryID, default: (0, 0, 0)].records += 1
            byDictionary[info.dictionaryID, default: (0, 0, 0)].bodyBytes += info.bodyBytes
            byDictionary[info.dictionaryID, default: (0, 0, 0)].storedBytes += info.storedBytes
            if info.position & 0xFFFF == 0 { progress?.update(info.position) }
            return true
        }
        let (models, _, _) = try await Replay.run(log: log, until: .everything)
        let stats = models.statistics.read { model, _ in model }
        return StatsReport(
            head: head, fileBytes: log.fileSize, eventsByType: stats.eventsByType, eventsByCategory: stats.eventsByCategory,
            streamsByCategory: stats.streamsByCategory, byDictionary: byDictionary, dictionarySizes: try log.dictionarySizes())
    }

    /// The report as text.
    public var text: String {
        var lines = ["events: \(head.size)", "root: \(head.root.hex)", "last event: \(head.timestamp?.rfc3339 ?? "-")",
                     "file: \(fileBytes) bytes (\(head.size == 0 ? 0 : fileBytes / Int(head.size)) per event)", "", "events by type:"]
        lines += eventsByType.sorted { $0.key < $1.key }.map { "  \($0.key) \($0.value)" }
        lines += ["", "events and streams by category:"]
        lines += eventsByCategory.sorted { $0.key < $1.key }.map { "  \($0.key) \($0.value) events, \(streamsByCategory[$0.key] ?? 0) streams" }
        lines += ["", "compression by dictionary (0: none):"]
        for (id, figures) in byDictionary.sorted(by: { $0.key < $1.key }) {
            let ratio = figures.storedBytes == 0 ? 0 : Double(figures.bodyBytes) / Double(figures.storedBytes)
            let size = dictionarySizes[id].map { ", dictionary \($0) bytes" } ?? ""
            lines.append("  \(id): \(figures.records) records, \(figures.bodyBytes) bytes raw, \(figures.storedBytes) stored, ratio \(String(format: "%.2f", ratio))\(size)")
        }
        return lines.joined(separator: "\n")
    }
}
