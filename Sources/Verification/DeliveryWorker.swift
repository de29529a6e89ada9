public import EventSourcing
import Logging
import Synchronization

/// Sends every pending delivery (the outbox: issued codes with no final delivery
/// outcome) through the sender for its channel, and records each outcome as an event.
///
/// - **At least once.** The outbox is a read model of the log, so after a crash
///   everything not yet recorded as delivered is sent again.
/// - **Not twice while the log is down.** An outcome the log refuses (503) is kept in
///   memory as "sent, outcome unrecorded": the message is not sent again, and recording
///   is retried after 1, 2, 4, ... seconds (at most a minute) until it lands.
/// - **A sliding window.** At most `concurrency` gateway calls are in flight; a new one
///   starts as soon as the gateway answers one (its outcome is appended beside the next
///   sends, so a commit's latency does not slow the gateway's pace), as long as fewer than
///   4 x `concurrency` sends await their outcome's append (a stalled log stops the sends
///   there: a crash sends again what was sent and not recorded); every gateway call is cut
///   off after `sendTimeout`, which counts as a failed attempt. Passes overlap (`run` starts one per new code and one
///   a second for retries), so a gateway that never answers holds one slot, not the
///   others' messages.
/// - Failed attempts wait 2^attempt seconds (at most a minute); after
///   `DeliveryPolicy.maxAttempts` the failure is final.
/// - **Never a message that cannot be used.** A code that expired, was replaced by a newer
///   one, was used or ran out of checks before its turn (after a gateway outage, a restart
///   of a server without a sender) is not sent: its outcome is recorded as a final failure
///   ("not sent: expired", ...), which takes it out of the outbox.
///
/// Outcome details never carry the message, the code or the address.
public final class DeliveryWorker: Sendable {
    private let log: any EventLog
    private let codes: LiveProjection<VerificationsReadModel>
    private let secrets: CodeSecrets
    private let senders: [Destination.Channel: any Sender]
    private let clock: @Sendable () -> Timestamp
    private let sendTimeout: Duration
    private let concurrency: Int
    private let ledger = Mutex(DeliveryLedger())

    /// Where its warnings go (the process's log handler).
    static let logger = Logger(label: "logbook.delivery")

    /// Sends in flight at once unless configured (`--delivery-concurrency`).
    public static let defaultConcurrency = 16

    /// How many remembered outcomes a pass records at once.
    static let batchLimit = 512
    /// How many pending codes one look for due codes judges at most (a pass looks after
    /// every send that ends). Codes further back wait for those ahead to be delivered or to
    /// fail for good (six attempts, about two minutes) when that many are waiting to retry.
    static let scanLimit = 4096

    public init(
        log: any EventLog, codes: LiveProjection<VerificationsReadModel>, secrets: CodeSecrets,
        senders: [Destination.Channel: any Sender], clock: @escaping @Sendable () -> Timestamp,
        sendTimeout: Duration = .seconds(10), concurrency: Int = DeliveryWorker.defaultConcurrency
    ) {
        self.log = log
        self.codes = codes
        self.secrets = secrets
        self.senders = senders
        self.clock = clock
        self.sendTimeout = sendTimeout
        self.concurrency = max(1, concurrency)
    }

    /// Delivers until the task is cancelled. A pass starts as soon as the log commits a new
    /// code (the commit feed wakes the worker: no polling), and at least every
    /// `retryInterval` for retries that came due; a pass still waiting on slow gateways
    /// does not hold up the next one.
    public func run(feed: CommitFeed, retryInterval: Duration = .seconds(1)) async {
        await withDiscardingTaskGroup { group in
            var cursor = feed.head
            var unreadable = false
            group.addTask { await self.deliverDue() }
            while !Task.isCancelled {
                let events: [RecordedEvent]
                do {
                    events = try await feed.events(after: cursor, limit: 4096, timeout: retryInterval)
                    if unreadable { Self.logger.info("delivery worker reads the log again") }
                    unreadable = false
                } catch {
                    // The log could not be read (a disk error): wait as for a quiet interval,
                    // rather than take the error for "nothing new" and loop at once.
                    if !unreadable { Self.logger.warning("delivery worker cannot read the log", metadata: ["error": "\(error)"]) }
                    unreadable = true
                    try? await Task.sleep(for: retryInterval)
                    events = []
                }
                cursor = events.last?.position ?? cursor
                if events.isEmpty || events.contains(where: { $0.type == CodeIssued.type }) {
                    group.addTask { await self.deliverDue() }
                }
            }
        }
    }

    /// One pass: records remembered outcomes that are due again, then sends what is due
    /// (a sliding window of at most `concurrency` gateway calls across all passes),
    /// appending each outcome as it comes and filling each slot that frees with the next
    /// due code. Returns when nothing more is due and every send it started has ended and
    /// had its outcome appended (or remembered), with how many outcomes it recorded.
    @discardableResult
    public func deliverDue() async -> Int {
        let recorded = await recordRemembered()
        return recorded + (await withTaskGroup(of: Step.self) { group in
            var running = 0
            var landed = 0
            while true {
                running += startDue(in: &group)
                guard running > 0, let step = await group.next() else { return landed }
                switch step {
                case .answered(let attempt):
                    // The slot is free for the next send; the outcome is appended beside it.
                    ledger.withLock { $0.answered(attempt.key) }
                    group.addTask { .recorded(landed: await self.record(attempt)) }
                case .recorded(let outcomeLanded):
                    running -= 1
                    if outcomeLanded { landed += 1 }
                }
            }
        })
    }

    /// A pass's child task: a gateway call answered (its outcome still to append), or an
    /// outcome appended (or remembered for later).
    private enum Step: Sendable {
        case answered(Attempt)
        case recorded(landed: Bool)
    }

    /// One send's outcome, to append to its code's stream.
    private struct Attempt: Sendable {
        var key: String
        var append: StreamAppend
        var retryAfter: Int64?
    }

    /// Starts a send for due codes in the window's free slots; returns how many it started.
    /// It reads no more codes than there are free slots, so a pass that finds the window
    /// full costs one lock (under load a pass starts for every commit that issues a code;
    /// each used to copy 512 codes out of the outbox, most of them only to skip them).
    private func startDue(in group: inout TaskGroup<Step>) -> Int {
        // A read model that stopped (an event it could not apply) shows every code as it
        // was: a recorded outcome would not take the code out of the outbox, and it would
        // be sent again and again. Nothing goes out until the model is healthy (a restart).
        guard codes.failure == nil else { return 0 }
        let now = clock()
        guard let (busy, free) = ledger.withLock({ ledger in
            let free = ledger.freeSlots(limit: concurrency)
            return free > 0 ? (ledger.busy(at: now), free) : nil
        }) else { return 0 }
        let due = codes.read { model, _ in
            model.pendingDeliveries(limit: free, examining: Self.scanLimit) { !busy.contains($0.issued.key.rawValue) }
        }
        var started = 0
        starting: for code in due {
            switch claim(code, at: now) {
            case .full: break starting
            case .skipped: continue
            case .claimed:
                started += 1
                group.addTask { .answered(await self.attempt(code)) }
            }
        }
        return started
    }

    /// Takes `code` for this pass unless another has it, it waits, or the window is full.
    private func claim(_ code: CodeState, at now: Timestamp) -> DeliveryLedger.Claim {
        let key = code.issued.key
        return ledger.withLock { ledger in
            ledger.claim(key.rawValue, at: now, limit: concurrency) {
                codes.read { model, _ in
                    model.code(key).map { $0.isPendingDelivery && $0.delivery == code.delivery } ?? false
                }
            }
        }
    }

    /// Sends one message within `sendTimeout` (or judges that it is not worth sending) and
    /// returns the outcome to append.
    private func attempt(_ code: CodeState) async -> Attempt {
        let attempts: Int
        if case .pending(let count) = code.delivery { attempts = count } else { attempts = 0 }
        let attempt = attempts + 1
        let outcome: DeliveryRecorded
        let retryAfter: Int64?
        let status = code.status(at: clock())
        if status == .pending {
            (outcome, retryAfter) = await send(code, attempt: attempt)
        } else {
            // Final: the code cannot be used any more, so its message would only mislead.
            outcome = DeliveryRecorded(delivered: false, attempt: max(attempt, DeliveryPolicy.maxAttempts), detail: "not sent: \(status.rawValue)")
            retryAfter = nil
        }
        let append = StreamAppend(
            stream: Streams.code(code.issued.key), expected: .streamExists,
            events: [VerificationEvent.deliveryRecorded(outcome).newEvent(at: clock(), metadata: EventMetadata(actor: "delivery"))])
        return Attempt(key: code.issued.key.rawValue, append: append, retryAfter: retryAfter)
    }

    /// Appends one send's outcome; returns whether it is in the log (else it is remembered
    /// and recorded later, and the message is not sent again meanwhile).
    private func record(_ attempt: Attempt) async -> Bool {
        let landed = (try? await log.append(AppendRequest([attempt.append]))) != nil
        let now = clock()
        ledger.withLock { $0.finish(attempt.key, at: now, retryAfter: attempt.retryAfter, unrecorded: landed ? nil : attempt.append) }
        return landed
    }

    /// One attempt through the channel's sender, cut off after `sendTimeout`: the outcome,
    /// and when a failure may be retried.
    private func send(_ code: CodeState, attempt: Int) async -> (DeliveryRecorded, retryAfter: Int64?) {
        do {
            var message = try DeliveryMessage(sealed: code.issued.sealedDelivery, secrets: secrets)
            message.key = code.issued.key.rawValue
            guard let sender = senders[message.channel] else { throw NoSender() }
            let ready = message
            try await Deadline.run(within: sendTimeout) { try await sender.send(ready) }
            return (DeliveryRecorded(delivered: true, attempt: attempt, detail: "delivered"), nil)
        } catch {
            let reason = error is Deadline.Exceeded ? "timed out" : "\(type(of: error))"
            return (DeliveryRecorded(delivered: false, attempt: attempt, detail: "failed: \(reason)"), DeliveryLedger.backoff(attempt))
        }
    }

    /// Appends the remembered outcomes that are due again, in one atomic request;
    /// returns how many landed.
    private func recordRemembered() async -> Int {
        let now = clock()
        let due = ledger.withLock { $0.takeRecordings(at: now, limit: Self.batchLimit) }
        guard !due.isEmpty else { return 0 }
        let landed = (try? await log.append(AppendRequest(due.map { $0.append }))) != nil
        let after = clock()
        ledger.withLock { $0.recordingsEnded(due.map { $0.key }, landed: landed, at: after) }
        return landed ? due.count : 0
    }

    struct NoSender: Error {}
}
