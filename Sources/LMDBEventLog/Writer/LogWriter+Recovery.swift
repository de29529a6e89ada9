import EventSourcing
#if canImport(Glibc)
import Glibc
#endif
import LMDB
import Logging
import Synchronization

/// How the writer answers storage that failed: refusals while it cannot write, reopening
/// a poisoned environment (see `StorageRecovery`).
extension LogWriter {
    /// Why `ops` must be refused without a commit, or nil to try them.
    func refusal(of ops: [WriterOp]) -> EventLogError? {
        let current = recovery.withLock { $0 }
        if let diverged = current.diverged { return EventLogError(.storageFailure, diverged) }
        if current.reopenPending, !reopenEnvironment() {
            return EventLogError(.storageFailure, "the log's storage failed and cannot be reopened yet")
        }
        guard ops.allSatisfy(\.isProbe), let shortage = current.shortage else { return nil }
        switch shortage {
        case .map:
            return EventLogError(.storageFull, "the map is at its maximum size (\(options.maxMapSize) bytes)")
        case .disk:
            let free = freeBytes()
            guard free < options.roomToRecover else { return nil }
            return EventLogError(.storageFull, "\(free) bytes free on the log's file system")
        }
    }

    /// A commit failed with `error` (other than a map that could grow): fails every op, and
    /// reopens the environment when LMDB marked it unusable.
    func commitFailed(_ ops: [WriterOp], _ error: any Error) {
        logger.error("commit failed", metadata: ["error": "\(error)"])
        let lmdb = error as? LMDBError
        // A short page write reports EIO, not ENOSPC: judge the room by the file system.
        let shortage: StorageRecovery.Shortage? =
            lmdb == .mapFull ? .map : (lmdb == .diskFull || freeBytes() < options.roomToRecover ? .disk : nil)
        let code: EventLogError.Code = shortage == nil ? .storageFailure : .storageFull
        fail(ops, EventLogError(code, "commit failed: \(error)"), shortage: shortage)
        if lmdb == .panic || environment.isPoisoned {
            logger.error("the LMDB environment is unusable after a failed commit: reopening it")
            recovery.withLock { $0.reopenPending = true }
            reopenEnvironment()
        }
    }

    /// Closes and reopens the environment, then checks that the file's head is the one this
    /// writer last committed. True when writes may go on.
    @discardableResult
    func reopenEnvironment() -> Bool {
        do {
            try environment.reopen()
        } catch {
            logger.error("could not reopen the LMDB environment", metadata: ["error": "\(error)"])
            return false
        }
        stats.withLock { $0.recordReopen() }
        let mine = state.withLock { $0.head }
        let onDisk = try? environment.read { txn in
            try txn.get(databases.meta, key: MetaKey.head).map { try HeadFormat.decode($0) } ?? .empty
        }
        guard let onDisk, onDisk.size == mine.size, onDisk.root == mine.root else {
            let reason = "after reopening, the log's file holds \(onDisk.map { "\($0.size)" } ?? "an unreadable head") "
                + "where this server last committed \(mine.size) events: restart the server"
            logger.critical("the log's file differs from the writer's state", metadata: ["reason": "\(reason)"])
            recovery.withLock { $0 = StorageRecovery(diverged: reason) }
            return false
        }
        logger.warning("reopened the LMDB environment", metadata: ["events": "\(mine.size)"])
        recovery.withLock { $0.reopenPending = false }
        return true
    }

    /// Whether a commit failed for lack of disk space and the file system still has less than
    /// `roomToRecover` bytes free. Small commits then still fit in the pages LMDB frees and
    /// reuses inside its file, but appends that grow it fail: the log stays `failing`.
    func stillShortOfDisk() -> Bool {
        recovery.withLock { $0.shortage } == .disk && freeBytes() < options.roomToRecover
    }

    /// Bytes an unprivileged process may still write on the log's file system (`Int.max`
    /// when it cannot be told).
    func freeBytes() -> Int {
        var info = statvfs()
        guard statvfs(environment.path, &info) == 0 else { return .max }
        let (free, overflow) = Int(info.f_bavail).multipliedReportingOverflow(by: Int(info.f_frsize))
        return overflow ? .max : free
    }
}
