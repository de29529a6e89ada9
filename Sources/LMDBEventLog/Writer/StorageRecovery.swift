/// What the writer remembers between commits about storage that failed.
///
/// - A commit that fails for lack of room (`shortage`) leaves the log `failing` until a
///   commit succeeds (for a disk, until one succeeds with `roomToRecover` bytes free: small
///   commits fit in the pages LMDB reuses inside its file while appends that grow it fail). A probe is a commit of a page or two where appends need many, so
///   while the disk is short it is not even tried until the file system has
///   `LMDBEventLogOptions.roomToRecover` bytes free, and while the map is at its maximum
///   size it is not tried at all: otherwise an idle server would report `ok` while every
///   append still fails.
/// - After a fatal error LMDB refuses every transaction of the environment (`MDB_PANIC`;
///   it marks it so when writing a meta page fails). The writer then closes and reopens
///   the environment (`reopenPending` until that works) and checks that the file's head is
///   the one it last committed; if it is not (`diverged`), it refuses writes until restarted.
struct StorageRecovery: Sendable {
    enum Shortage: Sendable {
        /// The file system had no room for the commit's pages.
        case disk
        /// The map reached `LMDBEventLogOptions.maxMapSize`.
        case map
    }

    var shortage: Shortage?
    var reopenPending = false
    var diverged: String?
}
