import Zstd

/// How an `LMDBEventLog` stores and commits.
public struct LMDBEventLogOptions: Sendable {
    /// The map size to open with; it doubles whenever a commit finds it full.
    public var initialMapSize: Int = 256 << 20
    /// The map never grows past this (address space, not disk: the file grows only as pages are written).
    public var maxMapSize: Int = 1 << 40
    /// The most events one commit takes from the queue (one request is never split).
    public var maxEventsPerCommit: Int = 16_384
    /// zstd level for records (3 is zstd's default; small records gain little from higher levels).
    public var compressionLevel: Int32 = ZstdCompressor.defaultLevel
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
