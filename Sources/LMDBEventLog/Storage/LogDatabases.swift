import LMDB

/// The named databases of a log environment (the layout is in ARCHITECTURE.md).
struct LogDatabases: Sendable {
    /// `log`: BE UInt64 position -> record.
    let log: Database
    /// `streams`: stream UTF-8 -> BE UInt64 last version ++ BE UInt64 last position (one entry per
    /// stream), as of the position in `meta/streams-position` (see `StreamIndex`).
    let streams: Database
    /// `idempotency`: key UTF-8 -> BE UInt64 position of the request's last event (0: none) ++ result.
    let idempotency: Database
    /// `idempotency-times`: BE Int64 ms the answer was stored ++ key UTF-8 -> empty: the keys
    /// in the order they may be pruned.
    let idempotencyTimes: Database
    /// `merkle`: BE UInt64 k -> hashes of the nodes completed by leaf 16k+15, level 4 upwards.
    let merkle: Database
    /// `dictionaries`: BE UInt32 id -> zstd dictionary bytes.
    let dictionaries: Database
    /// `checkpoints`: projection name UTF-8 -> BE UInt32 format ++ BE UInt64 position ++ zstd frame.
    let checkpoints: Database
    /// `meta`: ASCII names -> values (`format`, `head`, `frontier`, `dictionary`, `streams-position`).
    let meta: Database

    static let names = ["log", "streams", "idempotency", "idempotency-times", "merkle", "dictionaries", "checkpoints", "meta"]

    init(environment: Environment) throws {
        log = try environment.openDatabase("log", flags: [.create])
        streams = try environment.openDatabase("streams", flags: [.create])
        idempotency = try environment.openDatabase("idempotency", flags: [.create])
        idempotencyTimes = try environment.openDatabase("idempotency-times", flags: [.create])
        merkle = try environment.openDatabase("merkle", flags: [.create])
        dictionaries = try environment.openDatabase("dictionaries", flags: [.create])
        checkpoints = try environment.openDatabase("checkpoints", flags: [.create])
        meta = try environment.openDatabase("meta", flags: [.create])
    }
}

/// Keys of the `meta` database.
enum MetaKey {
    /// BE UInt32 on-disk format version.
    static let format = Array("format".utf8)
    /// BE UInt64 size ++ 32-byte root ++ BE Int64 timestamp ms of the last event (absent when empty).
    static let head = Array("head".utf8)
    /// The Merkle frontier: 32-byte subtree roots, largest first (one per set bit of size).
    static let frontier = Array("frontier".utf8)
    /// BE UInt32 id of the dictionary new records are compressed with.
    static let dictionary = Array("dictionary".utf8)
    /// BE UInt64: the `streams` database reflects every event up to this position.
    static let streamsPosition = Array("streams-position".utf8)
}
