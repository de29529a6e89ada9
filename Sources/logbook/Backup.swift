import ArgumentParser
import Audit
import EventSourcing
import Foundation
import LMDBEventLog

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a data directory consistently while its server may be writing, then check the copy.",
        discussion: """
            Copies the log (compacted, one read transaction), the server secret, the signing key, \
            checkpoint.json, member-keys (after the log) and the uploads (hash-checked) into DEST/, \
            files 0600 and directories 0700, each synced; then verifies the copied log and checks that \
            every live member has a key and every recorded upload its file. Restore it with `logbook restore`.
            """)

    @Argument(help: "The data directory (a bare log directory is copied alone).") var directory: String
    @Argument(help: "A new or empty directory for the copy.") var destination: String
    @Option(help: "The server secret, when logbookd runs with --secret-file (default: DIR/secret).") var secretFile: String?

    func run() async throws {
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: directory + "/log/data.mdb"), fileManager.fileExists(atPath: directory + "/data.mdb") {
            let report = try DataDirectoryBackup.logOnly(from: directory, to: destination)
            print("\(directory) is a log directory, not a data directory: copied the log alone")
            print("backed up \(report.events) events to \(destination)/log; root \(report.recomputedRoot.hex); verified")
            return
        }
        let source = DataDirectoryLayout(root: directory, secret: secretFile)
        let report = try await DataDirectoryBackup.run(
            from: source, to: destination, progress: { Progress(label: "verify copy", total: $0) })
        let check = report.check
        print("backed up \(check.head.size) events to \(destination); root \(check.head.root.hex); verified")
        print("  files: \(report.files.joined(separator: ", "))")
        print("  \(check.inventory.liveMembers.count) live members, each with a key; \(check.uploadFiles) uploads, hashes match")
        if let size = check.checkpointSize { print("  checkpoint.json (size \(size)) is signed by signing-key and extended by the log") }
        if report.attempts > 1 { print("  copied \(report.attempts) times: a member deletion raced the first copy") }
    }
}
