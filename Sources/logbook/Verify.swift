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

    @Option(help: "A signed checkpoint (JSON) the log must extend.")
    var checkpoint: String?

    @Option(help: "The server's public key (base64) the checkpoint must be signed with.")
    var publicKey: String?

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
        if let checkpoint {
            guard let data = FileManager.default.contents(atPath: checkpoint) else {
                throw ValidationError("cannot read \(checkpoint)")
            }
            let pinned = try publicKey.map { text -> [UInt8] in
                guard let key = Data(base64Encoded: text) else { throw ValidationError("--public-key must be base64") }
                return Array(key)
            }
            do {
                let signed = try CheckpointCheck.parse(data)
                let grown = try await CheckpointCheck.check(signed, log: log, pinnedKey: pinned)
                print("checkpoint at size \(signed.head.size): signature ok, the log extends it by \(grown) events")
            } catch {
                print("FAILED checkpoint: \(error)")
                throw ExitCode(1)
            }
        }
    }
}
