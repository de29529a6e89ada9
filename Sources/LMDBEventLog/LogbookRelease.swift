/// The release both binaries print for `--version`, with the on-disk format they read and
/// write (a data directory of another format version is refused at open).
public enum LogbookRelease {
    public static let version = "0.6.0"

    /// `0.6.0 (log format 1)`.
    public static var description: String { "\(version) (log format \(LMDBEventLog.formatVersion))" }
}
