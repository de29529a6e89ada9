/// What an appender believes about a stream's version: the optimistic-concurrency check.
public enum ExpectedVersion: Hashable, Sendable {
    /// No check.
    case any
    /// The stream must not exist yet (a uniqueness reservation).
    case noStream
    /// The stream must exist, at any version.
    case streamExists
    /// The stream must be exactly at this version (0 means it must not exist).
    case exactly(StreamVersion)

    /// Whether a stream at `current` satisfies this expectation.
    public func isSatisfied(by current: StreamVersion) -> Bool {
        switch self {
        case .any: true
        case .noStream: current == 0
        case .streamExists: current > 0
        case .exactly(let version): current == version
        }
    }
}
