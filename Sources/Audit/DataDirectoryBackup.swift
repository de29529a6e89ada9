import EventSourcing
import Foundation
public import LMDBEventLog

/// A consistent, verified copy of a data directory, taken while its server may be writing.
///
/// The order is what makes it consistent (ARCHITECTURE.md, "Backup and restore"):
/// 1. the secret, the signing key and checkpoint.json (the checkpoint before the log, so the
///    copied log extends it);
/// 2. the read models' checkpoint files, then the log, a hot compacting copy of one read
///    transaction (`mdb_env_copyfd2`): a checkpoint covers only events committed before
///    it was written, so the later log copy holds everything each copied one covers;
/// 3. member-keys *after* the log: a key is written before its member's registration is
///    appended, so every member in the copied log has its key in the later copy. A member
///    deleted between the two copies is alive in the copied log with its key already
///    zeroed: the copy is taken again (the new log copy holds the deletion), up to
///    `attempts` times;
/// 4. the uploads after the log: an upload's bytes are durable before its event is appended.
///
/// Then the whole copy is checked (`DataDirectoryCheck`): nothing is reported as backed up
/// that would not restore.
public enum DataDirectoryBackup {
    public struct Report: Sendable {
        public var check: DataDirectoryCheck.Report
        /// How many times the log and the keys were copied (more than once after a race).
        public var attempts: Int
        /// The files copied besides the log and the uploads.
        public var files: [String]
    }

    public static func run(
        from source: DataDirectoryLayout, to destination: String, attempts: Int = 3, progress: ((UInt64) -> Progress)? = nil
    ) async throws -> Report {
        guard DurableCopy.exists(source.logFile) else { throw BackupError("no Logbook log in \(source.log)") }
        let target = DataDirectoryLayout(root: destination)
        let log = try DataDirectoryCheck.openReadOnly(source.log)
        defer { log.close() }
        let events = try await log.head().size
        if events > 0 {
            for path in [source.secret, source.memberKeys] where !DurableCopy.exists(path) {
                throw BackupError(
                    "the log holds \(events) events but \(path) is missing: a backup without it could not be served "
                        + "(with the secret elsewhere, give --secret-file)")
            }
        }
        try DurableCopy.prepareEmptyDirectory(destination)

        var files: [String] = []
        for (path, name) in source.keyFiles + [(source.checkpoint, "checkpoint.json")] where DurableCopy.exists(path) {
            try DurableCopy.copyFile(path, to: destination + "/" + name)
            files.append(name)
        }

        var attempt = 0
        var checkpoints: [String] = []
        while true {
            attempt += 1
            try DurableCopy.makeDirectory(target.log)
            checkpoints = try copyCheckpoints(from: source.checkpoints, to: target.checkpoints)
            try log.backup(to: target.log)
            if DurableCopy.exists(source.memberKeys) { try DurableCopy.copyFile(source.memberKeys, to: target.memberKeys) }
            let copy = try DataDirectoryCheck.openReadOnly(target.log)
            let inventory = try await LogInventory.scan(copy)
            copy.close()
            let missing = DataDirectoryCheck.membersWithoutKeys(inventory, keyFile: target.memberKeys)
            if missing.isEmpty || attempt >= attempts { break }
            // A member deleted after the log copy and before the key copy: take both again.
            try? FileManager.default.removeItem(atPath: target.log)
            try? FileManager.default.removeItem(atPath: target.memberKeys)
        }
        files += checkpoints.map { "log/checkpoints/" + $0 }
        if DurableCopy.exists(target.memberKeys) { files.append("member-keys") }

        try copyUploads(from: source.uploads, to: target.uploads)
        try DurableCopy.syncDirectory(destination)

        let check = try await DataDirectoryCheck.run(target, progress: progress)
        guard check.isComplete else {
            throw BackupError(
                "the copy in \(destination) is not a complete backup:\n  " + check.allProblems.joined(separator: "\n  "))
        }
        return Report(check: check, attempts: attempt, files: files)
    }

    /// A bare log directory (no data directory around it): copies the log alone into
    /// `destination/log` and verifies it.
    public static func logOnly(from logDirectory: String, to destination: String) throws -> VerificationReport {
        let log = try DataDirectoryCheck.openReadOnly(logDirectory)
        defer { log.close() }
        try DurableCopy.prepareEmptyDirectory(destination)
        let target = DataDirectoryLayout(root: destination)
        try DurableCopy.makeDirectory(target.log)
        try log.backup(to: target.log)
        try DurableCopy.syncDirectory(destination)
        let copy = try DataDirectoryCheck.openReadOnly(target.log)
        defer { copy.close() }
        let report = try copy.verify()
        guard report.isValid else {
            throw BackupError("the copy does not verify: "
                + (report.firstFailure.map { "position \($0.position): \($0.reason)" } ?? "the root differs"))
        }
        return report
    }

    /// Copies the read models' checkpoint files (`*.ckpt`; each is replaced by a rename, so
    /// a copy holds one whole version) into a new `destination`; returns their names. The
    /// log checks each file's hash when it loads it (a damaged one is rebuilt from the log).
    static func copyCheckpoints(from source: String, to destination: String) throws(BackupError) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: source)) ?? []).filter { $0.hasSuffix(".ckpt") }.sorted()
        guard !names.isEmpty else { return [] }
        try DurableCopy.makeDirectory(destination)
        for name in names { try DurableCopy.copyFile(source + "/" + name, to: destination + "/" + name) }
        try DurableCopy.syncDirectory(destination)
        return names
    }

    /// Copies every upload file, checking each against its name (a mismatch stops the backup).
    static func copyUploads(from source: String, to destination: String) throws(BackupError) {
        let (files, _) = try UploadFiles.list(source)
        guard !files.isEmpty else { return }
        try DurableCopy.makeDirectory(destination)
        var folders: Set<String> = []
        for file in files {
            let folder = destination + "/" + file.folder
            if folders.insert(file.folder).inserted { try DurableCopy.makeDirectory(folder) }
            let from = "\(source)/\(file.folder)/\(file.name)"
            let digest = try DurableCopy.copyFile(from, to: folder + "/" + file.name)
            guard digest == file.name else { throw BackupError("\(from) has SHA-256 \(digest), not its name: the file is damaged") }
        }
        for folder in folders { try DurableCopy.syncDirectory(destination + "/" + folder) }
        try DurableCopy.syncDirectory(destination)
    }
}
