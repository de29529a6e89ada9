import Synchronization

/// Runs one member's commands on its `feedsocial-` stream one at a time in this process
/// (the log's only writer), in arrival order. Concurrent likes and follows by one member
/// would otherwise all decide on the same stream version, and under load a request could
/// lose every retry and answer 409. Different members never wait for each other; the lock
/// is held only to look up and update the waiting list, never across an await.
final class MemberQueue: Sendable {
    /// Per member with a command running: the commands waiting behind it.
    private let waiting = Mutex<[String: [CheckedContinuation<Void, Never>]]>([:])

    func run<T>(_ member: String, _ body: () async throws -> T) async throws -> T {
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
