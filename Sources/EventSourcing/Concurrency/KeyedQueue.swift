import Synchronization

/// Runs the work submitted under one key one at a time in this process (the log's only
/// writer), in arrival order; different keys never wait for each other. The lock is held
/// only to look up and update the waiting list, never across an await.
///
/// Used where commands on one stream would otherwise all decide on the same version (a
/// member's likes and follows on its `feedsocial-` stream: under load a request could lose
/// every retry and answer 409), and where a check must hold until its write lands (an
/// upload's idempotency check and its commit).
public final class KeyedQueue: Sendable {
    /// Per key with work running: the work waiting behind it.
    private let waiting = Mutex<[String: [CheckedContinuation<Void, Never>]]>([:])

    public init() {}

    /// Runs `body` once every earlier body under `key` has ended.
    public func run<T>(_ member: String, _ body: () async throws -> T) async throws -> T {
        await acquire(member)
        defer { release(member) }
        return try await body()
    }

    private func acquire(_ member: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let runsNow = waiting.withLock { waiting in
                guard waiting[member] != nil else {
                    waiting[member] = []
                    return true
                }
                waiting[member, default: []].append(continuation)
                return false
            }
            if runsNow { continuation.resume() }
        }
    }

    private func release(_ member: String) {
        let next = waiting.withLock { waiting -> CheckedContinuation<Void, Never>? in
            guard var queue = waiting[member], !queue.isEmpty else {
                waiting[member] = nil
                return nil
            }
            let first = queue.removeFirst()
            waiting[member] = queue
            return first
        }
        next?.resume()
    }
}
