import ArgumentParser
import Audit
import EventSourcing
import Foundation
import LMDBEventLog
import Verification

/// `logbook`: audit and operate a Logbook data directory. Read-only unless the command
/// says otherwise, so it is safe next to a running `logbookd`.
@main
struct Logbook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logbook",
        abstract: "Audit and operate a Logbook data directory.", version: LogbookRelease.description,
        subcommands: [Verify.self, Dump.self, Replay.self, Stats.self, Backup.self, Restore.self, Dict.self, Proof.self])
}

/// The log's directory: DIR/log when DIR is a server data directory, else DIR itself.
func openLog(_ directory: String, readOnly: Bool = true) throws -> LMDBEventLog {
    let nested = directory + "/log"
    let path = FileManager.default.fileExists(atPath: nested + "/data.mdb") ? nested : directory
    guard FileManager.default.fileExists(atPath: path + "/data.mdb") else {
        throw ValidationError("no Logbook log in \(directory)")
    }
    var options = LMDBEventLogOptions()
    options.readOnly = readOnly
    options.dictionaryTrainingThreshold = 0
    return try LMDBEventLog(directory: path, options: options)
}

func printJSON(_ object: Any) {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    print(String(decoding: data, as: UTF8.self))
}
