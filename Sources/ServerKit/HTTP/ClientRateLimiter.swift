public import Hummingbird
import HTTPTypes
import Synchronization

/// API.md's limits per client address on the routes an attacker drives at scale: logins
/// (password guessing), registrations, password resets and code sends (SMS pumping). A
/// token bucket per action and address: `count` requests, refilled evenly over `period`.
/// Beyond it: 429 `rate_limited` with `Retry-After` (when one request's worth refills).
///
/// Memory is bounded: buckets that have refilled completely are dropped as the table
/// grows, and at most `maxClients` addresses are tracked per action (beyond that a new
/// address shares one overflow bucket, so a flood of addresses is still limited).
public final class ClientRateLimiter: Sendable {
    public enum Action: String, Sendable, CaseIterable {
        case login, registration, reset, codeSend = "code_send"
    }

    /// `count` per `period`, written `20/min`, `10/hour`, `5/s` or `100/day` in flags.
    public struct Limit: Hashable, Sendable, CustomStringConvertible {
        public var count: Int
        public var periodSeconds: Double

        public init(count: Int, periodSeconds: Double) {
            self.count = count
            self.periodSeconds = periodSeconds
        }

        /// Parses `N/unit` (unit: s, min, hour, day); nil for anything else.
        public init?(_ text: String) {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let count = Int(parts[0]), count > 0 else { return nil }
            let units: [Substring: Double] = ["s": 1, "sec": 1, "min": 60, "m": 60, "hour": 3600, "h": 3600, "day": 86_400, "d": 86_400]
            guard let seconds = units[parts[1]] else { return nil }
            self.init(count: count, periodSeconds: seconds)
        }

        public var description: String { "\(count)/\(Int(periodSeconds))s" }
    }

    /// The defaults outside dev mode.
    public static let defaults: [Action: Limit] = [
        .login: Limit(count: 20, periodSeconds: 60), .registration: Limit(count: 20, periodSeconds: 3600),
        .reset: Limit(count: 10, periodSeconds: 3600), .codeSend: Limit(count: 30, periodSeconds: 3600),
    ]

    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let limits: [Action: Limit]
    /// The buckets per action and address, and when each action's table may next be swept.
    struct Table {
        var buckets: [Action: [String: Bucket]] = [:]
        var nextSweep: [Action: ContinuousClock.Instant] = [:]
    }

    private let buckets = Mutex(Table())
    let maxClients: Int
    private let clock = ContinuousClock()

    /// `limits` per action (an action without one is not limited; empty: all off).
    public init(limits: [Action: Limit], maxClients: Int = 100_000) {
        self.limits = limits
        self.maxClients = maxClients
    }

    /// No limits at all (dev mode, tests).
    public static let off = ClientRateLimiter(limits: [:])

    /// Takes one request of `action` from `client`'s bucket; throws 429 when it is empty.
    public func admit(_ action: Action, client: String) throws(APIError) {
        guard let limit = limits[action] else { return }
        let now = clock.now
        let rate = Double(limit.count) / limit.periodSeconds
        let wait: Double? = buckets.withLock { table in
            // Taken out of the table while it changes: a copy left in the table would share
            // its storage, and the first write would copy every bucket (up to `maxClients`).
            var perClient = table.buckets.removeValue(forKey: action) ?? [:]
            defer { table.buckets[action] = perClient }
            if perClient[client] == nil && perClient.count >= maxClients && now >= table.nextSweep[action, default: now] {
                // Full buckets go; at most once a second, so a flood of new addresses (all
                // sharing the overflow bucket meanwhile) does not walk the table each time.
                perClient = perClient.filter { Self.level($0.value, at: now, rate: rate) < Double(limit.count) }
                table.nextSweep[action] = now.advanced(by: .seconds(1))
            }
            let key = perClient[client] == nil && perClient.count >= maxClients ? "overflow" : client
            var bucket = perClient[key] ?? Bucket(tokens: Double(limit.count), updated: now)
            bucket.tokens = Self.level(bucket, at: now, rate: rate, capacity: Double(limit.count))
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                perClient[key] = bucket
                return (1 - bucket.tokens) / rate
            }
            bucket.tokens -= 1
            perClient[key] = bucket
            return nil
        }
        if let wait {
            var error = APIError(.tooManyRequests, "rate_limited", "Too many requests of this kind from your address; retry later.")
            error.retryAfterSeconds = max(1, Int64(wait.rounded(.up)))
            throw error
        }
    }

    private static func level(_ bucket: Bucket, at now: ContinuousClock.Instant, rate: Double, capacity: Double = .infinity) -> Double {
        let elapsed = bucket.updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return min(capacity, bucket.tokens + seconds * rate)
    }
}

/// The per-client limits and how clients are told apart, as routes use them.
public struct ClientGuard: Sendable {
    public let limiter: ClientRateLimiter
    public let addressing: ClientAddressing
    /// Where refusals are counted (`logbook_rate_limited_total`), if anywhere.
    let metrics: MetricsRegistry?

    public init(limiter: ClientRateLimiter = .off, addressing: ClientAddressing = .init()) {
        self.init(limiter: limiter, addressing: addressing, metrics: nil)
    }

    init(limiter: ClientRateLimiter, addressing: ClientAddressing, metrics: MetricsRegistry?) {
        (self.limiter, self.addressing, self.metrics) = (limiter, addressing, metrics)
    }

    /// The same guard, counting its refusals in `metrics`.
    public func metered(by metrics: MetricsRegistry) -> ClientGuard {
        ClientGuard(limiter: limiter, addressing: addressing, metrics: metrics)
    }

    /// The client's address, after taking one request of `action` from its allowance (429 beyond).
    public func admit(_ action: ClientRateLimiter.Action?, _ request: Request, _ context: AppRequestContext) throws -> String {
        let client = addressing.address(of: request, context: context)
        guard let action else { return client }
        do {
            try limiter.admit(action, client: client)
        } catch {
            metrics?.counter(ServerMetrics.rateLimited, action.rawValue).increment()
            throw error
        }
        return client
    }
}
