/// A command's outcome: done now, or done before under the same idempotency key.
public enum CommandResult<T: Sendable>: Sendable {
    case done(T)
    /// The result stored by the first request with this idempotency key.
    case replayed([UInt8])
}

extension EventLog {
    /// Appends a command's request: `.done(answer)`, or the stored result of a duplicate.
    public func appendCommand<T>(_ request: AppendRequest, answer: T) async throws -> CommandResult<T> {
        switch try await append(request) {
        case .appended: return .done(answer)
        case .duplicate(let stored): return .replayed(stored)
        }
    }
}

/// Runs `attempt` again (up to `attempts` times in all) while it fails on a wrong expected
/// version: each retry decides again on fresher state.
public func retryingOnConflict<T>(attempts: Int = 8, _ attempt: () async throws -> T) async throws -> T {
    for _ in 1..<attempts {
        do {
            return try await attempt()
        } catch let error as EventLogError where error.code == .wrongExpectedVersion {
            continue
        }
    }
    return try await attempt()
}
