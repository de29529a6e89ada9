import DequeModule
import Synchronization

/// The one tail of the log for every in-process consumer (the delivery worker, the admin
/// SSE stream, session revocations, the messaging gateway): committed events in position
/// order, without polling and without dropping anything.
///
/// The feed keeps the most recent `capacity` events in memory (a ring: never more, about
/// half a KiB an event with its payload and metadata, so 4 MiB by default). A consumer asks for the
/// events after its own cursor: it gets them from memory, from the log's history when it
/// has fallen further behind than the feed remembers, or waits until the next commit.
/// So a slow consumer costs a read of history, never memory without bound and never a
/// gap; each consumer holds only its cursor.
///
/// ```swift
/// var cursor = feed.head
/// while true {
///     let events = try await feed.events(after: cursor)
///     for event in events { handle(event) }
///     cursor = events.last?.position ?? cursor
/// }
/// ```
public final class CommitFeed: Sendable {
    public let log: any EventLog
    public let capacity: Int
    private let state: Mutex<State>
    private let nextWaiter = Atomic<Int>(0)

    struct State {
        /// The newest committed events, oldest first (positions `first...head`).
        var recent: Deque<RecordedEvent> = []
        var head: LogPosition = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]

        var first: LogPosition? { recent.first?.position }
    }

    /// A feed of `log`'s commits from `head` on (call before the log commits anything new,
    /// for example at start).
    public init(log: any EventLog, head: LogPosition, capacity: Int = 8_192) {
        self.log = log
        self.capacity = max(1, capacity)
        state = Mutex(State(head: head))
        log.observeCommits { [weak self] batch in self?.publish(batch) }
    }

    /// The position of the last committed event the feed has seen.
    public var head: LogPosition { state.withLock { $0.head } }

    /// The events the feed holds in memory (at most `capacity`).
    public var heldEvents: Int { state.withLock { $0.recent.count } }

    /// Up to `limit` events after `position`, in order; waits for the next commit when there
    /// are none yet (until `timeout`, then answers `[]`). Cancellation answers `[]`.
    public func events(after position: LogPosition, limit: Int = 1024, timeout: Duration? = nil) async throws -> [RecordedEvent] {
        while true {
            switch lookup(after: position, limit: limit) {
            case .events(let events):
                return events
            case .history:
                return try await log.read(from: position + 1, limit: limit)
            case .wait:
                guard !Task.isCancelled else { return [] }
                let woke = await wait(timeout: timeout, seenHead: position)
                if !woke { return [] }
            }
        }
    }

    enum Lookup {
        case events([RecordedEvent])
        case history
        case wait
    }

    private func lookup(after position: LogPosition, limit: Int) -> Lookup {
        state.withLock { state in
            guard position < state.head else { return .wait }
            guard let first = state.first, position + 1 >= first else { return .history }
            let from = Int(position + 1 - first)
            let to = min(state.recent.count, from + max(1, limit))
            return .events(Array(state.recent[from..<to]))
        }
    }

    /// Waits for a commit past `seenHead`; false on timeout or cancellation.
    private func wait(timeout: Duration?, seenHead: LogPosition) async -> Bool {
        let id = nextWaiter.wrappingAdd(1, ordering: .relaxed).newValue
        let timer = timeout.map { timeout in
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                self?.wake(id)
            }
        }
        defer { timer?.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    guard state.head <= seenHead, !Task.isCancelled else { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            wake(id)
        }
        return state.withLock { $0.head > seenHead }
    }

    private func wake(_ id: Int) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
    }

    /// A committed batch (on the log's commit path: quick).
    private func publish(_ batch: [RecordedEvent]) {
        guard let last = batch.last else { return }
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.recent.append(contentsOf: batch)
            let excess = state.recent.count - capacity
            if excess > 0 { state.recent.removeFirst(excess) }
            state.head = max(state.head, last.position)
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
