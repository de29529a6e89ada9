import EventSourcing

/// An event's compressed body, made by its appender, waiting for a position and a version.
struct PreparedEvent: Sendable {
    var dictionaryID: UInt32
    var frame: [UInt8]
}

/// An append request whose events are compressed, ready for the writer.
struct PreparedAppend: Sendable {
    var request: AppendRequest
    /// Every event of `request`, in request order.
    var events: [PreparedEvent]
}

/// Work for the writer thread; each op is answered through its continuation after
/// the commit it joined is durable (or failed).
enum WriterOp: Sendable {
    case append(PreparedAppend, CheckedContinuation<AppendOutcome, any Error>)
    case saveCheckpoint(Checkpoint, CheckedContinuation<Void, any Error>)
    case installDictionary([UInt8], CheckedContinuation<UInt32, any Error>)

    var eventCount: Int {
        if case .append(let prepared, _) = self { return prepared.request.eventCount }
        return 0
    }

    func fail(_ error: any Error) {
        switch self {
        case .append(_, let continuation): continuation.resume(throwing: error)
        case .saveCheckpoint(_, let continuation): continuation.resume(throwing: error)
        case .installDictionary(_, let continuation): continuation.resume(throwing: error)
        }
    }
}
