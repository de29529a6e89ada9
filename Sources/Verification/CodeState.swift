public import EventSourcing

/// One verification code, folded from its `verification-<key>` stream.
public struct CodeState: Hashable, Sendable {
    /// What a client sees (API.md: pending, approved, canceled, expired, max_attempts_reached).
    public enum Status: String, Sendable, CaseIterable {
        case pending, approved, canceled, expired
        case maxAttemptsReached = "max_attempts_reached"
    }

    /// Where delivery stands: the outbox is every issued code still `.pending` here.
    public enum Delivery: Hashable, Sendable {
        case pending(attempts: Int)
        case delivered
        case failed
    }

    public static let maxAttempts = 5

    public var issued: CodeIssued
    public var issuedAt: Timestamp
    public var attemptsLeft = CodeState.maxAttempts
    public var approved = false
    public var canceled = false
    public var destroyed = false
    /// Another command used this approved code up (see `VerificationEvent.codeConsumed`).
    public var consumed = false
    public var delivery = Delivery.pending(attempts: 0)
    /// The stream's version (for the next append's expected version).
    public var version: StreamVersion = 1

    public init(issued: CodeIssued, issuedAt: Timestamp) {
        self.issued = issued
        self.issuedAt = issuedAt
    }

    /// Whether the outbox still has to deliver this code's message.
    public var isPendingDelivery: Bool {
        if case .pending = delivery, !destroyed { return true }
        return false
    }

    /// The status at `now` (expiry is a matter of time, not of an event).
    public func status(at now: Timestamp) -> Status {
        if approved { return .approved }
        if canceled { return .canceled }
        if attemptsLeft == 0 { return .maxAttemptsReached }
        if now >= issued.expiresAt { return .expired }
        return .pending
    }

    /// The state after `event` (events of other kinds leave it unchanged).
    public func evolved(by event: VerificationEvent) -> CodeState {
        var next = self
        next.version += 1
        switch event {
        case .codeChecked(let e):
            next.approved = e.approved
            next.attemptsLeft = e.attemptsLeft
        case .codeCanceled:
            next.canceled = true
        case .codeDestroyed:
            next.destroyed = true
        case .codeConsumed:
            next.consumed = true
        case .deliveryRecorded(let e):
            next.delivery = e.delivered ? .delivered : (e.attempt >= DeliveryPolicy.maxAttempts ? .failed : .pending(attempts: e.attempt))
        case .codeIssued, .sendRecorded:
            break
        }
        return next
    }
}

/// How often the delivery worker tries a message before it records a failure for good.
public enum DeliveryPolicy {
    public static let maxAttempts = 5
}
