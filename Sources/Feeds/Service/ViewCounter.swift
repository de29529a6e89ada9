import Synchronization

/// Views counted in memory between flushes. `GET /v1/feeds/{id}` only adds here (a read
/// is never a durable write of its own); `ViewFlushService` takes the counts once a second
/// and appends them as `feed.views-counted.v1`. A crash loses what was counted since the
/// last flush began (at most one interval's views); a flush the log refuses puts its
/// counts back for the next one.
final class ViewCounter: Sendable {
    struct State {
        var pending: [String: UInt64] = [:]
        /// Taken by the flush in progress: still shown until it is applied.
        var inflight: [String: UInt64] = [:]
    }

    private let state = Mutex(State())

    func add(_ postID: String) {
        state.withLock { state in
            let (sum, overflow) = state.pending[postID, default: 0].addingReportingOverflow(1)
            state.pending[postID] = overflow ? .max : sum
        }
    }

    /// Views counted but not yet applied by the read model.
    func unflushed(_ postID: String) -> UInt64 {
        state.withLock { state in
            let (sum, overflow) = (state.pending[postID] ?? 0).addingReportingOverflow(state.inflight[postID] ?? 0)
            return overflow ? .max : sum
        }
    }

    /// Takes the pending counts for a flush.
    func take() -> [String: UInt64] {
        state.withLock { state in
            state.inflight = state.pending
            state.pending = [:]
            return state.inflight
        }
    }

    /// The flush is applied: its counts are in the read model now.
    func flushed() { state.withLock { $0.inflight = [:] } }

    /// The flush failed: its counts go back to pending.
    func failed() {
        state.withLock { state in
            for (id, count) in state.inflight {
                let (sum, overflow) = state.pending[id, default: 0].addingReportingOverflow(count)
                state.pending[id] = overflow ? .max : sum
            }
            state.inflight = [:]
        }
    }
}
