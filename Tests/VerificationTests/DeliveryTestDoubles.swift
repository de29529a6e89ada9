import EventSourcing
import Synchronization
import Verification

/// A gateway that never answers for one address (not even to cancellation, until
/// `release()`), and delivers everything else at once.
final class HangingSender: Sender {
    let hangsFor: String
    let sent = Mutex<[String]>([])
    let hanging = Mutex<[CheckedContinuation<Void, any Error>]>([])
    struct Released: Error {}

    init(hangsFor: String) { self.hangsFor = hangsFor }

    func send(_ message: DeliveryMessage) async throws {
        guard message.to == hangsFor else {
            sent.withLock { $0.append(message.to) }
            return
        }
        try await withCheckedThrowingContinuation { continuation in hanging.withLock { $0.append(continuation) } }
    }

    /// How many calls are hanging now.
    var hangingCount: Int { hanging.withLock { $0.count } }

    /// Ends every hanging call with an error (so nothing is left waiting when a test ends).
    func release() {
        for continuation in hanging.withLock({ list in defer { list = [] }; return list }) {
            continuation.resume(throwing: Released())
        }
    }
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// A log whose appends of delivery outcomes wait until `open()` (a slow commit); every
/// other append goes through at once.
final class GatedOutcomesLog: EventLogDecorator {
    let inner: any EventLog
    private let gate = Mutex<(isOpen: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    init(inner: any EventLog) { self.inner = inner }

    /// How many outcome appends are waiting.
    var held: Int { gate.withLock { $0.waiting.count } }

    func append(_ request: AppendRequest) async throws -> AppendOutcome {
        if request.appends.contains(where: { $0.events.contains { $0.type == DeliveryRecorded.type } }) {
            await withCheckedContinuation { continuation in
                let through = gate.withLock { gate in
                    if !gate.isOpen { gate.waiting.append(continuation) }
                    return gate.isOpen
                }
                if through { continuation.resume() }
            }
        }
        return try await inner.append(request)
    }

    func open() {
        let waiting = gate.withLock { gate in
            gate.isOpen = true
            defer { gate.waiting = [] }
            return gate.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
