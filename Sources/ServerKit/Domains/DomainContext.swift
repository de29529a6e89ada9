public import EventSourcing
public import Logging

/// What every domain is built with: the log (through its protocol), the clock decisions
/// read `now` from, the server secret domains derive their keys from, and the mode.
public struct DomainContext: Sendable {
    public let log: any EventLog
    public let clock: @Sendable () -> Timestamp
    /// The server secret (32 bytes or more); each domain derives its own keys (HKDF).
    public let secret: [UInt8]
    /// Dev mode (`--dev`).
    public let dev: Bool
    public let logger: Logger

    public init(log: any EventLog, clock: @escaping @Sendable () -> Timestamp, secret: [UInt8], dev: Bool, logger: Logger) {
        (self.log, self.clock, self.secret, self.dev, self.logger) = (log, clock, secret, dev, logger)
    }
}
