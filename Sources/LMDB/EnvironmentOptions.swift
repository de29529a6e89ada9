/// How to open an `Environment`.
public struct EnvironmentOptions: Sendable {
    /// Initial map size in bytes (the address space LMDB reserves; the file grows as pages are written).
    public var mapSize: Int
    /// The number of named databases the environment may hold.
    public var maxDatabases: UInt32
    /// The number of concurrent read transactions (reader slots).
    public var maxReaders: UInt32
    /// Open read-only (auditing tools running next to a server).
    public var readOnly: Bool
    /// Skip the fsync on commit (`MDB_NOSYNC`). Off by default: a commit is durable when it returns.
    /// Only for throwaway data such as benchmarks of the non-durable path.
    public var unsafeNoSync: Bool

    public init(
        mapSize: Int = 1 << 30,
        maxDatabases: UInt32 = 16,
        maxReaders: UInt32 = 256,
        readOnly: Bool = false,
        unsafeNoSync: Bool = false
    ) {
        self.mapSize = mapSize
        self.maxDatabases = maxDatabases
        self.maxReaders = maxReaders
        self.readOnly = readOnly
        self.unsafeNoSync = unsafeNoSync
    }
}
