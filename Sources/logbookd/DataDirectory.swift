import EventSourcing
import Foundation
import Logging

/// The checks `logbookd` makes on its data directory before it serves: the directory is
/// private (created 0700), and a log that already holds events comes with the secrets it
/// was written with (a half-restored directory is refused, never completed with new ones).
enum DataDirectory {
    /// Creates `path` (mode 0700, parents as needed) or checks the existing one, logging a
    /// warning when group or others may enter it.
    static func prepare(_ path: String, logger: Logger) throws(DataDirectoryError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw DataDirectoryError("\(path) exists and is not a directory") }
            if info.st_mode & 0o077 != 0 {
                logger.warning(
                    "the data directory is accessible to group or others: chmod 700 it",
                    metadata: ["path": "\(path)", "mode": "\(String(info.st_mode & 0o777, radix: 8))"])
            }
            return
        }
        let parent = DurableFile.directory(of: path)
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw DataDirectoryError("cannot create \(parent): \(error)")
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw DataDirectoryError("cannot create \(path): \(DurableFile.Failure.describe(errno))")
        }
    }

    /// Throws when the log holds events but a file written alongside them is missing:
    /// starting would create a new one and lose what the old one protected.
    ///
    /// - Parameters:
    ///   - events: the number of events in the log.
    ///   - required: the files the events depend on (the server secret, the member keys).
    static func requireComplete(events: UInt64, required: [String]) throws(DataDirectoryError) {
        guard events > 0 else { return }
        for path in required {
            var info = stat()
            guard lstat(path, &info) != 0, errno == ENOENT else { continue }
            throw DataDirectoryError(
                "the log holds \(events) events but \(path) is missing: restore it from the backup "
                    + "(logbook restore) instead of starting with a new one")
        }
    }
}

/// The data directory cannot be used: the server refuses to start.
struct DataDirectoryError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
