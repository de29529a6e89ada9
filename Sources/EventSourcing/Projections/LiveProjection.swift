import Synchronization

/// A read model kept current by the log: the state command handlers and queries read.
///
/// Fed by `ProjectionRuntime`: first restored from a checkpoint and caught up from the
/// log, then fed every committed batch on the log's commit path, before the appends in
/// that batch return. So once an append has returned, `read` sees its events.
///
/// Read with a short closure (`read { model, position in ... }`); do not keep copies
/// of the model around, or the next apply has to copy it (copy-on-write).
public final class LiveProjection<P: Projection>: AnyLiveProjection {
    struct Inner {
        var model = P()
        var position: LogPosition = 0
        /// Batches that arrived while catching up, applied when it ends.
        var buffered: [[RecordedEvent]] = []
        var isLive = false
        var appliedSinceCheckpoint: UInt64 = 0
        /// Why the model stopped following the log, if it did.
        var failure: (any Error)?
    }

    let inner = Mutex(Inner())
    /// Applied to every model this projection starts from (empty or restored): settings
    /// that are not part of the snapshot.
    private let configure: @Sendable (inout P) -> Void

    public init(configure: @escaping @Sendable (inout P) -> Void = { _ in }) {
        self.configure = configure
        inner.withLock { configure(&$0.model) }
    }

    public var name: String { P.name }

    /// Runs `body` with the model and the last position folded into it.
    public func read<T>(_ body: (borrowing P, LogPosition) throws -> T) rethrows -> T {
        try inner.withLock { try body($0.model, $0.position) }
    }

    /// The last position folded in.
    public var position: LogPosition { inner.withLock { $0.position } }

    /// The SHA-256 digest of the current snapshot.
    public var digest: String { inner.withLock { $0.model.digest } }

    /// Why the model stopped following the log (an event of its domain did not decode), if it did.
    public var failure: (any Error)? { inner.withLock { $0.failure } }

    // MARK: AnyLiveProjection

    public func receive(_ batch: [RecordedEvent]) -> UInt64 {
        inner.withLock { inner in
            guard inner.isLive else {
                inner.buffered.append(batch)
                return 0
            }
            return (try? Self.apply(batch, to: &inner)) ?? 0
        }
    }

    public func restore(from checkpoint: Checkpoint?) throws {
        var restored = Inner()
        if let checkpoint, checkpoint.formatVersion == P.formatVersion {
            restored.model = try P(snapshot: checkpoint.snapshot)
            restored.position = checkpoint.position
        }
        configure(&restored.model)
        inner.withLock { inner in
            restored.buffered = inner.buffered
            inner = restored
        }
    }

    public func catchUp(with events: [RecordedEvent]) throws {
        try inner.withLock { inner in _ = try Self.apply(events, to: &inner) }
    }

    public func goLive() throws {
        try inner.withLock { inner in
            for batch in inner.buffered { _ = try Self.apply(batch, to: &inner) }
            inner.buffered = []
            inner.isLive = true
        }
    }

    public func takeCheckpoint() -> Checkpoint {
        let (model, position) = copyForCheckpoint()
        return Checkpoint(name: P.name, formatVersion: P.formatVersion, position: position, snapshot: model.snapshot())
    }

    /// The model and position, copied under the lock in O(1) (copy-on-write); the caller
    /// encodes the snapshot outside it, so the commit path never waits for an encoding.
    public func copyForCheckpoint() -> (P, LogPosition) {
        inner.withLock { inner in
            inner.appliedSinceCheckpoint = 0
            return (inner.model, inner.position)
        }
    }

    public func makeCheckpoint() -> @Sendable () -> Checkpoint {
        let (model, position) = copyForCheckpoint()
        return { Checkpoint(name: P.name, formatVersion: P.formatVersion, position: position, snapshot: model.snapshot()) }
    }

    public var coveredPosition: LogPosition { position }

    public var digestValue: String { digest }

    public func copyForDigest() -> (position: LogPosition, digest: @Sendable () -> String) {
        let (model, position) = inner.withLock { ($0.model, $0.position) }
        return (position, { model.digest })
    }

    /// Folds the events after `inner.position` in; returns how many were new. After a
    /// failure the model applies nothing more and the error is kept in `failure`.
    private static func apply(_ events: [RecordedEvent], to inner: inout Inner) throws -> UInt64 {
        if let failure = inner.failure { throw failure }
        var position = inner.position
        // Through the last event folded in, whether the batch ends or an event fails.
        defer { inner.position = position }
        let applied: UInt64
        do {
            applied = try inner.model.apply(events, after: &position)
        } catch {
            inner.failure = error
            throw error
        }
        inner.appliedSinceCheckpoint += applied
        return inner.appliedSinceCheckpoint
    }
}

/// What `ProjectionRuntime` needs of a `LiveProjection`, whatever its model type.
public protocol AnyLiveProjection: AnyObject, Sendable {
    var name: String { get }
    var coveredPosition: LogPosition { get }
    /// A committed batch from the log; returns the events applied since the last checkpoint.
    func receive(_ batch: [RecordedEvent]) -> UInt64
    func restore(from checkpoint: Checkpoint?) throws
    var failure: (any Error)? { get }
    /// The SHA-256 digest of the model's snapshot (rebuilds are compared by it).
    var digestValue: String { get }
    /// The position and a copy of the model, taken together in O(1) (copy-on-write); the
    /// closure computes the copy's digest later, outside the model's lock.
    func copyForDigest() -> (position: LogPosition, digest: @Sendable () -> String)
    func catchUp(with events: [RecordedEvent]) throws
    func goLive() throws
    /// Copies the model now (cheaply) and returns the work of encoding its checkpoint.
    func makeCheckpoint() -> @Sendable () -> Checkpoint
}
