import Synchronization

/// Destinations the read model has forgotten (idle past the retention) whose stream
/// version was read back from the log for a send being decided: an empty history at that
/// version, so the send's append names the version its stream really has. An entry is
/// dropped once the read model knows the destination again; the whole table starts over
/// past `capacity` (a send that finds no entry recalls again).
final class ForgottenDestinations: Sendable {
    let capacity: Int
    private let versions = Mutex<[String: UInt64]>([:])

    init(capacity: Int = 4_096) { self.capacity = max(1, capacity) }

    func remember(_ id: String, version: UInt64) {
        versions.withLock { versions in
            if versions.count >= capacity, versions[id] == nil { versions.removeAll(keepingCapacity: true) }
            versions[id] = version
        }
    }

    /// The state to decide on when the read model has no entry for `id`.
    func state(_ id: String) -> DestinationState {
        var state = DestinationState()
        state.version = versions.withLock { $0[id] } ?? 0
        return state
    }

    func forget(_ id: String) { _ = versions.withLock { $0.removeValue(forKey: id) } }
}
