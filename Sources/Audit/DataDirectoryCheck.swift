public import EventSourcing
import Foundation
import LMDBEventLog

/// Checks that a data directory, or a backup of one, is complete and consistent: the log
/// verifies; if it holds events, the server secret and the member-key file are there; every
/// member registered and not deleted has a key slot; every upload recorded has its file,
/// and every upload file hashes to its name; checkpoint.json is signed by the signing key
/// and the log extends it.
public enum DataDirectoryCheck {
    public struct Report: Sendable {
        public var head: LogHead = .empty
        public var inventory = LogInventory()
        /// Live members with no key slot (a deletion that raced a backup, or a lost file).
        public var membersWithoutKeys: [String] = []
        /// Upload files found (and hashed).
        public var uploadFiles = 0
        /// The size of the checkpoint in checkpoint.json, when there is one.
        public var checkpointSize: UInt64?
        /// Everything else that does not hold, one sentence each.
        public var problems: [String] = []

        public var isComplete: Bool { membersWithoutKeys.isEmpty && problems.isEmpty }

        /// Every problem, the members without keys included.
        public var allProblems: [String] {
            problems + (membersWithoutKeys.isEmpty ? [] : [
                "\(membersWithoutKeys.count) members registered in the log have no key in member-keys: "
                    + membersWithoutKeys.prefix(5).joined(separator: ", "),
            ])
        }
    }

    /// Opens the log of `layout` read-only and checks everything; throws only when the log
    /// cannot be opened or read at all. `progress` makes the verification's progress from
    /// the number of events.
    public static func run(_ layout: DataDirectoryLayout, progress: ((UInt64) -> Progress)? = nil) async throws -> Report {
        guard DurableCopy.exists(layout.logFile) else { throw BackupError("no Logbook log in \(layout.log)") }
        let log = try openReadOnly(layout.log)
        defer { log.close() }
        var report = Report()
        let progress = try await progress?(log.head().size)
        let verification = try log.verify { progress?.update($0) }
        progress?.finish(verification.events)
        report.head = verification.storedHead
        if let failure = verification.firstFailure {
            report.problems.append("the log does not verify at position \(failure.position): \(failure.reason)")
        } else if !verification.isValid {
            report.problems.append("the log's recomputed root \(verification.recomputedRoot.hex) differs from its head")
        }
        report.inventory = try await LogInventory.scan(log)
        try checkKeyFiles(layout, events: report.inventory.events, into: &report)
        try checkUploads(layout, into: &report)
        await checkCheckpoint(layout, log: log, into: &report)
        return report
    }

    /// Opens the log in `directory` read-only (never trains dictionaries).
    static func openReadOnly(_ directory: String) throws -> LMDBEventLog {
        var options = LMDBEventLogOptions()
        options.readOnly = true
        options.dictionaryTrainingThreshold = 0
        return try LMDBEventLog(directory: directory, options: options)
    }

    /// The members of `inventory` without a slot in the key file at `path`.
    static func membersWithoutKeys(_ inventory: LogInventory, keyFile path: String) -> [String] {
        let held = FileManager.default.contents(atPath: path).map { MemberKeySlots.memberIDs(in: Array($0)) } ?? []
        return inventory.liveMembers.subtracting(held).sorted()
    }

    private static func checkKeyFiles(_ layout: DataDirectoryLayout, events: UInt64, into report: inout Report) throws {
        if events > 0 {
            for (path, name) in [(layout.secret, "server secret"), (layout.memberKeys, "member-key file")]
            where !DurableCopy.exists(path) {
                report.problems.append("the log holds \(events) events but the \(name) \(path) is missing")
            }
        }
        if let secret = FileManager.default.contents(atPath: layout.secret), secret.count < 32 {
            report.problems.append("the server secret \(layout.secret) holds \(secret.count) bytes, fewer than 32")
        }
        if let key = FileManager.default.contents(atPath: layout.signingKey), key.count != 32 {
            report.problems.append("the signing key \(layout.signingKey) holds \(key.count) bytes, not 32")
        }
        report.membersWithoutKeys = membersWithoutKeys(report.inventory, keyFile: layout.memberKeys)
    }

    private static func checkUploads(_ layout: DataDirectoryLayout, into report: inout Report) throws {
        let (files, strays) = try UploadFiles.list(layout.uploads)
        report.problems += strays.map { "\(layout.root)/\($0) is not an upload (uploads/<2 hex>/<sha256>)" }
        var present: Set<String> = []
        for file in files {
            let path = "\(layout.uploads)/\(file.folder)/\(file.name)"
            let digest = try DurableCopy.sha256(of: path)
            if digest != file.name { report.problems.append("\(path) has SHA-256 \(digest), not its name") }
            present.insert(file.name)
        }
        report.uploadFiles = files.count
        for missing in report.inventory.uploads.subtracting(present).sorted().prefix(5) {
            report.problems.append("the upload \(missing) recorded in the log has no file in \(layout.uploads)")
        }
        for position in report.inventory.unreadableUploads.prefix(5) {
            report.problems.append("the upload event at position \(position) cannot be read")
        }
    }

    private static func checkCheckpoint(_ layout: DataDirectoryLayout, log: LMDBEventLog, into report: inout Report) async {
        guard let data = FileManager.default.contents(atPath: layout.checkpoint) else { return }
        let pinned = FileManager.default.contents(atPath: layout.signingKey)
            .flatMap { try? SignedCheckpoint(head: .empty, privateKey: Array($0)).publicKey }
        do {
            let signed = try CheckpointCheck.parse(data)
            try await CheckpointCheck.check(signed, log: log, pinnedKey: pinned)
            report.checkpointSize = signed.head.size
        } catch {
            report.problems.append("\(layout.checkpoint) does not hold against the log (signed with signing-key, extended by the log): \(error)")
        }
    }
}
