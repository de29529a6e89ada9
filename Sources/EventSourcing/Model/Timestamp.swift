/// A point in time with millisecond precision, as events record it.
///
/// Event time, not wall-clock time: `decide` receives `now` as an input and
/// stamps its events with it, and `evolve` and projections read only this value,
/// so a replay of the log reaches the same state at any later date.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) { self.millisecondsSince1970 = millisecondsSince1970 }

    /// This time plus `seconds`.
    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(millisecondsSince1970: millisecondsSince1970 + seconds * 1000)
    }

    /// Seconds from `other` to this time, rounded up (a wait a client can honour).
    public func secondsSince(_ other: Timestamp) -> Int64 {
        let ms = millisecondsSince1970 - other.millisecondsSince1970
        return ms <= 0 ? 0 : (ms + 999) / 1000
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    public var description: String { "\(millisecondsSince1970)ms" }
}
