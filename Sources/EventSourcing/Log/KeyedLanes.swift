import DequeModule
import Synchronization

/// Commands queued per key (a stream), taken in rounds: the shape of the sequencers that
/// decide a whole round of commands on one stream version and append them as one request
/// (`GroupSequencer`, `MessageSequencer`). The first job into an idle lane starts its
/// drain task; the drain takes rounds until the lane is empty, which closes it.
///
/// ```swift
/// if lanes.submit(key, job) { Task { while let round = lanes.take(key) { await run(round) } } }
/// ```
public final class KeyedLanes<Job: Sendable>: Sendable {
    private let lanes = Mutex<[String: Deque<Job>]>([:])
    /// Jobs decided in one round at most.
    public let maxRound: Int
    /// Whether a job runs in a round of its own (one carrying an idempotency key: the log
    /// stores one key per request).
    private let solo: @Sendable (Job) -> Bool

    public init(maxRound: Int, solo: @escaping @Sendable (Job) -> Bool) {
        self.maxRound = max(1, maxRound)
        self.solo = solo
    }

    /// Queues `job` under `key`; true when the lane was idle and the caller must drain it.
    public func submit(_ key: String, _ job: Job) -> Bool {
        lanes.withLock { lanes in
            if lanes[key] != nil {
                lanes[key]?.append(job)
                return false
            }
            lanes[key] = [job]
            return true
        }
    }

    /// The next round of `key`: one solo job, or the other jobs at the head of the lane;
    /// nil when the lane is empty (it is closed then). Costs the round's size, however
    /// long the lane (a hot conversation can queue thousands): the lane is a deque taken
    /// from in place.
    public func take(_ key: String) -> [Job]? {
        lanes.withLock { lanes in
            guard lanes[key]?.isEmpty == false else {
                lanes[key] = nil
                return nil
            }
            return nextRound(&lanes[key, default: []])
        }
    }

    /// Takes the next round off the head of `lane`, in place.
    private func nextRound(_ lane: inout Deque<Job>) -> [Job] {
        guard let first = lane.first else { return [] }
        let count = solo(first) ? 1 : lane.prefix(maxRound).prefix { !solo($0) }.count
        let round = Array(lane.prefix(count))
        lane.removeFirst(count)
        return round
    }
}
