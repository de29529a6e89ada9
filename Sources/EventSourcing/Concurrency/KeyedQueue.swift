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
    public func run<T>(_ key: String, _ body: () async throws -> T) async throws -> T {
        await acquire(key)
        defer { release(key) }
        return try await body()
    }

    private func acquire(_ key: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let runsNow = waiting.withLock { waiting in
                guard waiting[key] != nil else {
                    waiting[key] = []
                    return true
                }
                waiting[key, default: []].append(continuation)
                return false
            }
            if runsNow { continuation.resume() }
        }
    }

    private func release(_ key: String) {
        let next = waiting.withLock { waiting -> CheckedContinuation<Void, Never>? in
            guard var queue = waiting[key], !queue.isEmpty else {
                waiting[key] = nil
                return nil
            }
            let first = queue.removeFirst()
            waiting[key] = queue
            return first
        }
        next?.resume()
    }
}
