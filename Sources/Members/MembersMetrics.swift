public import ServerKit

/// The members domain's metrics: the password-hashing queue and login lockouts.
public enum MembersMetrics {
    public static let hashQueueDepth = GaugeMetric(
        "logbook_password_hash_queue_depth", help: "Password hashes waiting for or running on a hashing thread.")
    public static let hashWait = DurationMetric(
        "logbook_password_hash_wait_seconds", help: "Time a password hash waited for a hashing thread.")
    public static let hashRefused = CounterMetric(
        "logbook_password_hash_refused_total", help: "Password hashes refused because a hashing queue was full (503 busy).")
    public static let lockouts = CounterMetric(
        "logbook_login_lockouts_total", help: "Login attempts refused because the member is locked out after failures.")

    public static let all = [hashQueueDepth.description, hashWait.description, hashRefused.description, lockouts.description]

    /// Points the hasher's and the login gate's reports at `metrics`.
    static func instrument(hasher: PasswordHasher, gate: LoginGate, metrics: MetricsRegistry) {
        let (depth, wait, refused) = (metrics.gauge(hashQueueDepth), metrics.durations(hashWait), metrics.counter(hashRefused))
        var instruments = PasswordHasher.Instruments()
        instruments.depth = { depth.set(Double($0)) }
        instruments.waited = { wait.record($0) }
        instruments.refused = { refused.increment() }
        hasher.instrument(instruments)
        let locked = metrics.counter(lockouts)
        gate.reportLockouts { locked.increment() }
    }
}
