public import EventSourcing
import Synchronization

/// Sends every pending delivery (the outbox: issued codes with no final delivery
/// outcome) through the sender for its channel, and records each outcome as an event.
///
/// At-least-once: the outbox is a read model of the log, so after a crash everything
/// not yet recorded as delivered is sent again. Failed attempts wait 2^attempt seconds
/// (at most a minute); after `DeliveryPolicy.maxAttempts` the failure is final.
/// Outcome details never carry the message, the code or the address.
public final class DeliveryWorker: Sendable {
    private let log: any EventLog
    private let codes: LiveProjection<VerificationsReadModel>
    private let secrets: CodeSecrets
    private let senders: [Destination.Channel: any Sender]
    private let clock: @Sendable () -> Timestamp
    private let retryAt = Mutex<[String: Timestamp]>([:])

    public init(
        log: any EventLog, codes: LiveProjection<VerificationsReadModel>, secrets: CodeSecrets,
        senders: [Destination.Channel: any Sender], clock: @escaping @Sendable () -> Timestamp
    ) {
        self.log = log
        self.codes = codes
        self.secrets = secrets
        self.senders = senders
        self.clock = clock
    }

    /// Delivers until the task is cancelled, looking at the outbox every `interval`.
    public func run(interval: Duration = .milliseconds(100)) async {
        while !Task.isCancelled {
            await deliverDue()
            try? await Task.sleep(for: interval)
        }
    }

    /// How many messages one pass sends at once, and at most per pass.
    static let concurrency = 16
    static let batchLimit = 512

    /// One pass over the outbox: sends what is due (16 at a time) and records every
    /// outcome in one atomic append. Returns how many outcomes were recorded.
    @discardableResult
    public func deliverDue() async -> Int {
        let now = clock()
        let waiting = retryAt.withLock { $0 }
        let due = codes.read { model, _ in
            model.pendingDeliveries(limit: Self.batchLimit) { code in waiting[code.issued.key.rawValue].map { $0 <= now } ?? true }
        }
        guard !due.isEmpty else { return 0 }
        var outcomes: [StreamAppend] = []
        for start in stride(from: 0, to: due.count, by: Self.concurrency) {
            let batch = due[start..<min(start + Self.concurrency, due.count)]
            await withTaskGroup(of: StreamAppend?.self) { group in
                for code in batch { group.addTask { await self.attempt(code) } }
                for await outcome in group { if let outcome { outcomes.append(outcome) } }
            }
        }
        guard (try? await log.append(AppendRequest(outcomes))) != nil else { return 0 }
        return outcomes.count
    }

    /// Sends one message; returns the outcome to record.
    private func attempt(_ code: CodeState) async -> StreamAppend? {
        guard case .pending(let attempts) = code.delivery else { return nil }
        let attempt = attempts + 1
        let outcome: VerificationEvent
        do {
            var message = try DeliveryMessage(sealed: code.issued.sealedDelivery, secrets: secrets)
            message.key = code.issued.key.rawValue
            guard let sender = senders[message.channel] else { throw NoSender() }
            try await sender.send(message)
            outcome = .deliveryRecorded(delivered: true, attempt: attempt, detail: "delivered")
            retryAt.withLock { $0[code.issued.key.rawValue] = nil }
        } catch {
            outcome = .deliveryRecorded(delivered: false, attempt: attempt, detail: "failed: \(type(of: error))")
            let wait = Int64(1) << Int64(min(attempt, 6))
            retryAt.withLock { $0[code.issued.key.rawValue] = clock().adding(seconds: wait) }
        }
        return StreamAppend(
            stream: Streams.code(code.issued.key), expected: .streamExists,
            events: [outcome.newEvent(at: clock(), metadata: EventMetadata(actor: "delivery"))])
    }

    struct NoSender: Error {}
}
