import Crypto

/// A read model built by folding the log, in position order.
///
/// ## Contract
/// - `apply` is deterministic and total: it reads only the event (data, stream,
///   version, position, event time), never the clock or randomness, and ignores
///   event types of other domains. So a rebuild from position 1 reaches exactly
///   the state that incremental application reached.
/// - `snapshot()` is canonical: equal states give equal bytes (sort what is
///   unordered). `init(snapshot:)` restores a state from those bytes. The digest,
///   SHA-256 of the snapshot, is how rebuilds are compared.
/// - Bump `formatVersion` when the snapshot layout or the meaning of `apply`
///   changes: older checkpoints are then ignored and the model is rebuilt.
public protocol Projection: Sendable {
    /// A stable name, the key of its checkpoints.
    static var name: String { get }
    /// The snapshot format version.
    static var formatVersion: UInt32 { get }

    /// The empty read model.
    init()
    /// Folds one event in. Throws when an event of the model's own domain does not decode
    /// (a corrupt record, or a log written by a newer server): the model stops there and
    /// says so, rather than skip it and drift from the log.
    mutating func apply(_ event: RecordedEvent) throws
    /// Folds in, in order, the events of `events` that follow `position`, moving `position`
    /// to each one folded; returns how many were. Leave it to the default, which calls
    /// `apply(_:)`: it is inlinable, so each model's module compiles the loop for its own
    /// type (from `LiveProjection`, generic over the model, every event paid for generic
    /// metadata lookups and a copy of the event).
    mutating func apply(_ events: [RecordedEvent], after position: inout LogPosition) throws -> UInt64
    /// The canonical bytes of this state.
    func snapshot() -> [UInt8]
    /// Restores a state from `snapshot()` bytes.
    init(snapshot: [UInt8]) throws
}

extension Projection {
    @inlinable
    public mutating func apply(_ events: [RecordedEvent], after position: inout LogPosition) throws -> UInt64 {
        var applied: UInt64 = 0
        // Through the buffer, so each event is borrowed in place: `events[index]` copied it
        // (retaining its strings and bytes) for every model.
        try events.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where buffer[index].position == position &+ 1 {
                try apply(buffer[index])
                position = buffer[index].position
                applied &+= 1
            }
        }
        return applied
    }

    /// SHA-256 of the canonical snapshot, in hex.
    public var digest: String {
        SHA256.hash(data: snapshot()).hexString
    }
}
