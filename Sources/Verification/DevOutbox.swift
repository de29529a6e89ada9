public import EventSourcing
import Synchronization

/// The sender of dev mode: keeps every message in memory so a developer can read the
/// codes (`GET /v1/dev/outbox`). Never wired in production.
public final class DevOutbox: Sender {
    public struct Entry: Hashable, Sendable {
        public var message: DeliveryMessage
        public var sentAt: Timestamp
    }

    private let entries = Mutex<[Entry]>([])
    private let clock: @Sendable () -> Timestamp
    /// The newest messages kept (older ones are dropped).
    public let capacity: Int

    public init(capacity: Int = 1000, clock: @escaping @Sendable () -> Timestamp) {
        self.capacity = capacity
        self.clock = clock
    }

    public func send(_ message: DeliveryMessage) async throws {
        let entry = Entry(message: message, sentAt: clock())
        entries.withLock { entries in
            entries.append(entry)
            if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        }
    }

    /// Messages newest first, optionally only those to `to` (normalised address).
    public func messages(to: String? = nil) -> [Entry] {
        entries.withLock { $0.reversed().filter { to == nil || $0.message.to == to } }
    }
}
