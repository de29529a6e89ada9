import EventSourcing

/// What the writer knows about the committed log. Changed only after a commit
/// succeeds, so a failed commit leaves no trace.
struct WriterState: Sendable {
    var frontier = MerkleFrontier()
    var lastTimestamp: Timestamp?
    var dictionaryID: UInt32 = 0
    var highestDictionaryID: UInt32 = 0

    var nextPosition: LogPosition { frontier.size + 1 }

    var head: LogHead { LogHead(size: frontier.size, root: frontier.root, timestamp: lastTimestamp) }
}
