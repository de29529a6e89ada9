import Synchronization

/// Bounds how long an operation may take: `Deadline.run(within:)` returns or throws
/// `Deadline.Exceeded` by the deadline, even when the operation ignores cancellation.
///
/// The operation runs in its own task; when time is up (or the caller is cancelled)
/// that task is cancelled and left to end on its own, its result ignored. So a gateway
/// that never answers costs one suspended task, never a stuck caller.
///
/// ```swift
/// try await Deadline.run(within: .seconds(10)) { try await sender.send(message) }
/// ```
public enum Deadline {
    /// The operation did not finish in time.
    public struct Exceeded: Error, CustomStringConvertible {
        public var description: String { "timed out" }
    }

    /// Runs `operation`, waiting at most `timeout` for its result.
    public static func run<T: Sendable>(
        within timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = OneShot<T>()
        let work = Task {
            do {
                outcome.finish(.success(try await operation()))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            outcome.finish(.failure(Exceeded()))
        }
        defer {
            work.cancel()
            timer.cancel()
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { outcome.wait($0) }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
        }
    }
}

/// A result delivered once to one waiter, whichever of the two comes first.
private final class OneShot<T: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<T, any Error>)
        case finished(Result<T, any Error>)
        case done
    }

    private let state = Mutex(State.empty)

    func wait(_ continuation: CheckedContinuation<T, any Error>) {
        let ready: Result<T, any Error>? = state.withLock { state in
            switch state {
            case .empty:
                state = .waiting(continuation)
                return nil
            case .finished(let result):
                state = .done
                return result
            case .waiting, .done:
                return nil
            }
        }
        if let ready { continuation.resume(with: ready) }
    }

    func finish(_ result: Result<T, any Error>) {
        let waiter: CheckedContinuation<T, any Error>? = state.withLock { state in
            switch state {
            case .empty:
                state = .finished(result)
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .finished, .done:
                return nil
            }
        }
        waiter?.resume(with: result)
    }
}
