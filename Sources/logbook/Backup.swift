import ArgumentParser
import EventSourcing
import Audit
import Foundation
import LMDBEventLog

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the log consistently while it may be serving (compacting), then verify the copy.")

    @Argument(help: "The data directory (or the log directory inside it).") var directory: String
    @Argument(help: "An empty or new directory for the copy.") var destination: String

    func run() async throws {
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        guard try FileManager.default.contentsOfDirectory(atPath: destination).isEmpty else {
            throw ValidationError("\(destination) is not empty")
        }
        let log = try openLog(directory)
        try log.backup(to: destination)
        log.close()
        let copy = try openLog(destination)
        defer { copy.close() }
        let report = try copy.verify()
        guard report.isValid else {
            print("the copy does not verify: \(report.firstFailure.map { "position \($0.position): \($0.reason)" } ?? "root differs")")
            throw ExitCode(1)
        }
        print("backed up \(report.events) events to \(destination); root \(report.recomputedRoot.hex); verified")
    }
}
