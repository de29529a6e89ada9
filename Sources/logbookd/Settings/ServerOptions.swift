import Feeds
import Foundation
import Logging
import HTTPAPI
import LMDBEventLog
import ServerKit
import Verification

/// Every setting of `logbookd`, resolved from the command line, the environment, the
/// config file and the defaults (`SettingsResolver`), and checked together.
struct ServerOptions {
    var dataDir: String
    var host: String
    var port: Int
    var dev: Bool
    var adminToken: String?
    var codeResendInterval: Int64
    var codeHourlyLimit: Int
    var secretFile: String?
    var devOutboxCapacity: Int
    var webhookURL: String?
    var webhookSecretFile: String?
    /// Read by `Logbookd.resolve` (a file or `LOGBOOK_WEBHOOK_SECRET`), never shown.
    var webhookSecret: [UInt8]?
    var deliveryTimeout: Int
    var deliveryConcurrency: Int
    var uploadQuotaBytes: UInt64
    var passwordHashLogN: Int
    var passwordHashThreads: Int?
    var clientLimits: Bool
    var limits: [ClientRateLimiter.Action: ClientRateLimiter.Limit]
    var trustForwardedFor: Bool
    var idleTimeout: Int
    var maxConnections: Int
    var maxHeaderBytes: Int
    var idempotencyRetentionHours: Int
    var readinessLagLimit: UInt64
    var groupMemberLimit: Int
    var feedReview: ReviewMode
    var maxMapSize: Int
    var streamQueue: Int
    var streamPingSeconds: Int
    var logFormat: LogbookLogHandler.Format
    var logLevel: Logger.Level

    init(_ command: Logbookd, resolver r: SettingsResolver) throws {
        dataDir = try r.value(command.dataDir, "data-dir", default: "./data")
        host = try r.value(command.host, "host", default: "127.0.0.1")
        port = try r.value(command.port, "port", default: 8080)
        dev = try r.flag(command.dev, "dev")
        adminToken = try r.secret("admin-token", fileKey: "admin-token-file", file: command.adminTokenFile)
        codeResendInterval = try r.value(command.codeResendInterval, "code-resend-interval", default: 60)
        codeHourlyLimit = try r.value(command.codeHourlyLimit, "code-hourly-limit", default: 5)
        secretFile = try r.optional(command.secretFile, "secret-file")
        devOutboxCapacity = try r.value(command.devOutboxCapacity, "dev-outbox-capacity", default: 1000)
        webhookURL = try r.optional(command.webhookURL, "webhook-url")
        webhookSecretFile = try r.optional(command.webhookSecretFile, "webhook-secret-file")
        deliveryTimeout = try r.value(command.deliveryTimeout, "delivery-timeout", default: 10)
        deliveryConcurrency = try r.value(command.deliveryConcurrency, "delivery-concurrency", default: DeliveryWorker.defaultConcurrency)
        uploadQuotaBytes = try r.value(command.uploadQuotaBytes, "upload-quota-bytes", default: UploadsSetup.defaultQuotaBytes)
        passwordHashLogN = try r.value(command.passwordHashLogN, "password-hash-log-n", default: 17)
        passwordHashThreads = try r.optional(command.passwordHashThreads, "password-hash-threads")
        clientLimits = try r.value(command.clientLimits, "client-limits", default: !dev)
        var limits: [ClientRateLimiter.Action: ClientRateLimiter.Limit] = [:]
        for (action, key, fallback) in [
            (ClientRateLimiter.Action.login, "limit-logins", "20/min"), (.registration, "limit-registrations", "20/hour"),
            (.reset, "limit-resets", "10/hour"), (.codeSend, "limit-code-sends", "30/hour"),
        ] {
            let text = try r.value(command.limitFlag(action), key, default: fallback)
            guard let limit = ClientRateLimiter.Limit(text) else {
                throw ConfigError("--\(key) must be N/s, N/min, N/hour or N/day with N >= 1 (got \(text))")
            }
            limits[action] = limit
        }
        self.limits = limits
        trustForwardedFor = try r.flag(command.trustForwardedFor, "trust-forwarded-for")
        idleTimeout = try r.value(command.idleTimeout, "idle-timeout", default: 30)
        maxConnections = try r.value(command.maxConnections, "max-connections", default: 4096)
        maxHeaderBytes = try r.value(command.maxHeaderBytes, "max-header-bytes", default: 16_384)
        idempotencyRetentionHours = try r.value(command.idempotencyRetentionHours, "idempotency-retention-hours", default: 25)
        readinessLagLimit = try r.value(command.readinessLagLimit, "readiness-lag-limit", default: 10_000)
        groupMemberLimit = try r.value(command.groupMemberLimit, "group-member-limit", default: 100_000)
        feedReview = try r.value(command.feedReview, "feed-review", default: .auto)
        maxMapSize = try r.value(command.maxMapSize, "max-map-size", default: LMDBEventLogOptions().maxMapSize)
        streamQueue = try r.value(command.streamQueue, "stream-queue", default: 1024)
        streamPingSeconds = try r.value(command.streamPingSeconds, "stream-ping-seconds", default: 30)
        logFormat = try r.value(command.logFormat, "log-format", default: .text)
        logLevel = try r.value(command.logLevel, "log-level", default: .info)
        try check()
    }

    /// The checks across settings (each value already parsed).
    private func check() throws {
        guard (1...65_535).contains(port) else { throw ConfigError("--port must be 1-65535") }
        guard (10...20).contains(passwordHashLogN) else { throw ConfigError("--password-hash-log-n must be 10-20") }
        if let threads = passwordHashThreads, threads < 1 { throw ConfigError("--password-hash-threads must be >= 1") }
        if let adminToken, adminToken.utf8.count < 16 { throw ConfigError("the admin token must be at least 16 characters") }
        guard codeResendInterval >= 0, codeHourlyLimit >= 1 else {
            throw ConfigError("--code-resend-interval must be >= 0 and --code-hourly-limit >= 1")
        }
        guard deliveryTimeout >= 1 else { throw ConfigError("--delivery-timeout must be >= 1") }
        guard (1...1024).contains(deliveryConcurrency) else { throw ConfigError("--delivery-concurrency must be 1-1024") }
        guard devOutboxCapacity >= 1 else { throw ConfigError("--dev-outbox-capacity must be >= 1") }
        guard idleTimeout >= 1, maxConnections >= 1, maxHeaderBytes >= 1024 else {
            throw ConfigError("--idle-timeout and --max-connections must be >= 1, --max-header-bytes >= 1024")
        }
        guard maxMapSize >= 1 << 20 else { throw ConfigError("--max-map-size must be at least 1048576 (1 MiB)") }
        guard idempotencyRetentionHours >= 24 else { throw ConfigError("--idempotency-retention-hours must be >= 24") }
        guard groupMemberLimit >= 1 else { throw ConfigError("--group-member-limit must be >= 1") }
        guard (1...1_000_000).contains(streamQueue) else { throw ConfigError("--stream-queue must be 1-1000000") }
        guard (1...3600).contains(streamPingSeconds) else { throw ConfigError("--stream-ping-seconds must be 1-3600") }
        if let webhookURL, URL(string: webhookURL)?.scheme?.hasPrefix("http") != true {
            throw ConfigError("--webhook-url must be an http(s) URL")
        }
    }

    /// The per-client limits as configured (off when `clientLimits` is false).
    var clientLimiter: ClientRateLimiter { clientLimits ? ClientRateLimiter(limits: limits) : .off }
}
