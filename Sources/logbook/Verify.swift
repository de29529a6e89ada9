import ArgumentParser
import Audit
import EventSourcing
import Foundation
import LMDBEventLog

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode every record, check positions, versions and the stream index, recompute the Merkle root.")

    @Argument(help: "The data directory (or the log directory inside it).")
    var directory: String

    func run() async throws {
        let log = try openLog(directory)
        defer { log.close() }
        let size = try await log.head().size
        let progress = Progress(label: "verify", total: size)
        let started = Date()
        let report = try log.verify { progress.update($0) }
        progress.finish(report.events)
        let seconds = Date().timeIntervalSince(started)
        if let failure = report.firstFailure {
            print("FAILED at position \(failure.position): \(failure.reason)")
            throw ExitCode(1)
        }
        guard report.isValid else {
            print("FAILED: the recomputed root \(report.recomputedRoot.hex) differs from the head \(report.storedHead.root.hex)")
            throw ExitCode(1)
        }
        let rate = seconds > 0 ? Int(Double(report.events) / seconds) : 0
        print("ok: \(report.events) events, \(report.streams) streams, root \(report.recomputedRoot.hex) (\(rate) events/s)")
    }
}
