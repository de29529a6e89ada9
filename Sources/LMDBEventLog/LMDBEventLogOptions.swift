/// How an `LMDBEventLog` stores and commits.
public struct LMDBEventLogOptions: Sendable {
    /// The map size to open with; it doubles whenever a commit finds it full. It is address
    /// space, not disk (the file grows only as pages are written), so it starts at 64 GiB:
    /// a log of 50 M events (~8 GB) never remaps. Growing a populated map unmaps and faults
    /// the whole mapping in again, which slowed appends at 50 M events to 0.59x.
    public var initialMapSize: Int = 64 << 30
    /// The map never grows past this (address space, not disk: the file grows only as pages are
    /// written), so it caps the log's file. A commit that needs more fails with `storageFull`;
    /// only reopening the log with a larger maximum makes room (LMDB reuses the pages pruning
    /// frees, so small commits may still fit meanwhile).
    public var maxMapSize: Int = 1 << 40
    /// After a commit failed for lack of disk space, the log stays `failing` until a commit
    /// succeeds, and a probe is tried only once the file system has this many bytes free: a
    /// probe needs a page or two where appends need many, so it would report `ok` too soon.
    public var roomToRecover: Int = 1 << 20
    /// The most events one commit takes from the queue (one request is never split).
    public var maxEventsPerCommit: Int = 16_384
    /// How many events the stream index keeps in memory before it starts folding them into
    /// the `streams` database (see `StreamIndex`); a restart rescans the records since the
    /// last completed fold: this many, plus those appended while a fold is under way.
    public var streamIndexFlushInterval: UInt64 = 65_536
    /// How many stream index entries each commit writes while a fold is in progress: small
    /// enough not to stall that commit, large enough to finish long before the next fold.
    public var streamIndexFoldChunk: Int = 1024
    /// How long the writer may wait for more appends while they keep arriving, once the
    /// previous commit carried more than one event (0: never wait). A lone appender never waits.
    public var groupCommitLinger: Duration = .microseconds(500)
    /// zstd level for records. Measured on realistic events with a trained dictionary:
    /// level 1 gives the same sizes as level 3 (80 vs 79 bytes) in 0.79 vs 1.02 µs per event.
    public var compressionLevel: Int32 = 1
    /// Train the first dictionary once the log holds this many events (0: never automatically).
    public var dictionaryTrainingThreshold: UInt64 = 2_000
    /// How many recent events a dictionary is trained on.
    public var dictionarySampleCount: Int = 10_000
    /// The largest dictionary trained.
    public var dictionaryCapacity: Int = 16 * 1024
    /// Open read-only, for audit tools next to a running server.
    public var readOnly: Bool = false
    /// Skip fsync on commit. Never for real data: a returned append may then be lost on power failure.
    public var unsafeNoSync: Bool = false

    public init() {}
}
