import ArgumentParser
import Audit
import EventSourcing
import Foundation

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a backup, then copy it into a new data directory for logbookd.",
        discussion: """
            Refuses a DATA_DIR that exists and is not empty. The backup is checked first (the log \
            verifies, every live member has a key, every upload its file), then copied with the data \
            directory's modes (0700 directories, 0600 files), synced, and the restored log's head \
            compared with the backup's.
            """)

    @Argument(help: "A directory made by `logbook backup`.") var backup: String
    @Argument(help: "The new data directory (must not exist, or be empty).") var directory: String

    func run() async throws {
        let layout = DataDirectoryLayout(root: backup)
        let check = try await DataDirectoryRestore.run(
            from: layout, to: directory, progress: { Progress(label: "verify backup", total: $0) })
        print("restored \(check.head.size) events (root \(check.head.root.hex)), \(check.inventory.liveMembers.count) live members' keys "
            + "and \(check.uploadFiles) uploads into \(directory)")
        print("start the server on it: logbookd --data-dir \(directory)")
    }
}
