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
    /// The canonical bytes of this state.
    func snapshot() -> [UInt8]
    /// Restores a state from `snapshot()` bytes.
    init(snapshot: [UInt8]) throws
}

extension Projection {
    /// SHA-256 of the canonical snapshot, in hex.
    public var digest: String {
        SHA256.hash(data: snapshot()).hexString
    }
}
