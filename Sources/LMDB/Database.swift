public import CLMDB

/// A named database inside an `Environment` (an `MDB_dbi` handle).
///
/// Handles are opened once, in a committed write transaction, and then shared freely.
public struct Database: Sendable, Hashable {
    /// The raw LMDB handle.
    public let dbi: MDB_dbi

    /// Flags for opening a database.
    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Create the database if it does not exist.
        public static let create = Flags(rawValue: UInt32(MDB_CREATE))
        /// Several sorted values per key.
        public static let dupSort = Flags(rawValue: UInt32(MDB_DUPSORT))
        /// With `dupSort`: every value of a key has the same size (stored packed).
        public static let dupFixed = Flags(rawValue: UInt32(MDB_DUPFIXED))
        /// Keys are native-endian unsigned integers.
        public static let integerKey = Flags(rawValue: UInt32(MDB_INTEGERKEY))
    }
}

/// Flags for a single put.
public struct PutFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Fail with `LMDBError.keyExists` when the key is present.
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// The key sorts after every existing key: an append without a tree search.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
    /// Like `append`, for the values of a `dupSort` key.
    public static let appendDup = PutFlags(rawValue: UInt32(MDB_APPENDDUP))
    /// With `dupSort`: fail when this exact key/value pair exists.
    public static let noDupData = PutFlags(rawValue: UInt32(MDB_NODUPDATA))
}
