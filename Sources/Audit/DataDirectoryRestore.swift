import EventSourcing
import Foundation
import LMDBEventLog

/// Puts a backup in place as a new data directory: the backup is checked first (the log
/// verifies, keys and uploads are complete), the destination must be new or empty, and
/// every file is copied with the data directory's modes (directories 0700, files 0600),
/// synced, and checked again (upload hashes, the restored log's head).
public enum DataDirectoryRestore {
    public static func run(
        from backup: DataDirectoryLayout, to destination: String, progress: ((UInt64) -> Progress)? = nil
    ) async throws -> DataDirectoryCheck.Report {
        if DurableCopy.exists(destination), !DurableCopy.isEmpty(destination) {
            throw BackupError("\(destination) is not empty: restore into a new or empty directory (never over a data directory)")
        }
        let check = try await DataDirectoryCheck.run(backup, progress: progress)
        guard check.isComplete else {
            throw BackupError("\(backup.root) is not a complete backup:\n  " + check.allProblems.joined(separator: "\n  "))
        }
        let target = DataDirectoryLayout(root: destination)
        try DurableCopy.prepareEmptyDirectory(destination)
        try DurableCopy.makeDirectory(target.log)
        try DurableCopy.copyFile(backup.logFile, to: target.logFile)
        _ = try DataDirectoryBackup.copyCheckpoints(from: backup.checkpoints, to: target.checkpoints)
        try DurableCopy.syncDirectory(target.log)
        let files = [
            (backup.secret, target.secret), (backup.signingKey, target.signingKey),
            (backup.memberKeys, target.memberKeys), (backup.checkpoint, target.checkpoint),
        ]
        for (from, to) in files where DurableCopy.exists(from) { try DurableCopy.copyFile(from, to: to) }
        try DataDirectoryBackup.copyUploads(from: backup.uploads, to: target.uploads)
        try DurableCopy.syncDirectory(destination)

        let restored = try DataDirectoryCheck.openReadOnly(target.log)
        defer { restored.close() }
        let head = try await restored.head()
        guard head == check.head else {
            throw BackupError("the restored log's head (\(head.size) events, root \(head.root.hex)) differs from the backup's")
        }
        return check
    }
}
