import ArgumentParser
import AsyncHTTPClient
import EventSourcing
import Foundation
import HTTPAPI
import ServerKit
import Hummingbird
import LMDBEventLog
import Logging
import Members
import Metrics
import NIOCore
import Prometheus
import Verification

/// The Logbook server: the LMDB log under `--data-dir`, the read models, the delivery
/// worker and the HTTP front. SIGTERM or SIGINT finish in-flight requests, save the
/// read models' checkpoints and close the log.
@main
struct Logbookd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logbookd", abstract: "Logbook: an event-sourced backend on LMDB.")

    @Option(help: "Where the log and the server secret live.")
    var dataDir = "./data"

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Flag(help: "Dev mode: messages go to an in-memory outbox readable at /v1/dev/outbox.")
    var dev = false

    @Option(help: "The admin token (or LOGBOOK_ADMIN_TOKEN).")
    var adminToken: String?

    @Option(help: "Seconds between two codes sent to one destination.")
    var codeResendInterval: Int64 = 60

    @Option(help: "Codes sent to one destination per hour.")
    var codeHourlyLimit = 5

    @Option(help: "The file holding the server secret (default: DATA_DIR/secret, created 0600 on first start; never replaced).")
    var secretFile: String?

    @Option(help: "Dev mode: how many messages the outbox keeps.")
    var devOutboxCapacity = 1000

    @Option(help: "A gateway URL: messages are POSTed there as {\"channel\", \"to\", \"body\", \"key\"}, signed (outside dev mode).")
    var webhookURL: String?

    @Option(help: "The file holding the webhook signing secret (or LOGBOOK_WEBHOOK_SECRET; 32+ bytes; required with --webhook-url).")
    var webhookSecretFile: String?

    @Option(help: "Seconds a gateway call may take before it counts as a failed delivery attempt.")
    var deliveryTimeout = 10

    @Option(help: "Bytes of uploads each member may store (distinct contents; 100 MiB by default).")
    var uploadQuotaBytes: UInt64 = UploadsSetup.defaultQuotaBytes

    @Option(help: "log2 of scrypt's N for password hashes (17 is OWASP's setting; lower only for tests and benchmarks).")
    var passwordHashLogN = 17

    @Option(help: "Threads hashing passwords at once (default: one per core).")
    var passwordHashThreads: Int?

    @Flag(inversion: .prefixedEnableDisable, help: "Limits per client address on logins, registrations, resets and code sends (default: on, off under --dev).")
    var clientLimits: Bool?

    @Option(help: "Logins (and password checks) per client address, as N/s|min|hour|day.")
    var limitLogins = "20/min"

    @Option(help: "Registrations per client address.")
    var limitRegistrations = "20/hour"

    @Option(help: "Password resets per client address.")
    var limitResets = "10/hour"

    @Option(help: "Code sends per client address.")
    var limitCodeSends = "30/hour"

    @Flag(help: "Take the client address from X-Forwarded-For (only behind a reverse proxy that sets it).")
    var trustForwardedFor = false

    @Option(help: "Seconds a connection may stay idle (or trickle a request head) before it is closed.")
    var idleTimeout = 30

    @Option(help: "Connections open at once; beyond it new ones wait in the listen backlog.")
    var maxConnections = 4096

    @Option(help: "Bytes of request headers at most (one field and all of them).")
    var maxHeaderBytes = 16_384

    @Option(help: "Hours an Idempotency-Key is kept before it may be pruned (API.md: at least 24).")
    var idempotencyRetentionHours = 25

    func validate() throws {
        guard (10...20).contains(passwordHashLogN) else { throw ValidationError("--password-hash-log-n must be 10-20") }
        if let threads = passwordHashThreads, threads < 1 { throw ValidationError("--password-hash-threads must be >= 1") }
        if let token = resolvedAdminToken, token.utf8.count < 16 {
            throw ValidationError("the admin token must be at least 16 characters")
        }
        guard codeResendInterval >= 0, codeHourlyLimit >= 1 else {
            throw ValidationError("--code-resend-interval must be >= 0 and --code-hourly-limit >= 1")
        }
        guard deliveryTimeout >= 1 else { throw ValidationError("--delivery-timeout must be >= 1") }
        for (flag, value) in [("--limit-logins", limitLogins), ("--limit-registrations", limitRegistrations),
                              ("--limit-resets", limitResets), ("--limit-code-sends", limitCodeSends)]
        where ClientRateLimiter.Limit(value) == nil {
            throw ValidationError("\(flag) must be N/s, N/min, N/hour or N/day with N >= 1")
        }
        guard idleTimeout >= 1, maxConnections >= 1, maxHeaderBytes >= 1024 else {
            throw ValidationError("--idle-timeout and --max-connections must be >= 1, --max-header-bytes >= 1024")
        }
        guard idempotencyRetentionHours >= 24 else { throw ValidationError("--idempotency-retention-hours must be >= 24") }
        if let webhookURL, URL(string: webhookURL)?.scheme?.hasPrefix("http") != true {
            throw ValidationError("--webhook-url must be an http(s) URL")
        }
        if webhookURL != nil, !dev, webhookSecretFile == nil,
            ProcessInfo.processInfo.environment[WebhookSecret.environmentVariable]?.isEmpty ?? true
        {
            throw ValidationError(
                "--webhook-url needs a signing secret: --webhook-secret-file PATH or \(WebhookSecret.environmentVariable) (32+ bytes)")
        }
    }

    /// `--admin-token`, else `LOGBOOK_ADMIN_TOKEN`.
    var resolvedAdminToken: String? {
        adminToken ?? ProcessInfo.processInfo.environment["LOGBOOK_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The per-client limits: on outside dev mode, off under --dev, unless a flag says otherwise.
    var clientLimiter: ClientRateLimiter {
        guard clientLimits ?? !dev else { return .off }
        var limits: [ClientRateLimiter.Action: ClientRateLimiter.Limit] = [:]
        limits[.login] = ClientRateLimiter.Limit(limitLogins)
        limits[.registration] = ClientRateLimiter.Limit(limitRegistrations)
        limits[.reset] = ClientRateLimiter.Limit(limitResets)
        limits[.codeSend] = ClientRateLimiter.Limit(limitCodeSends)
        return ClientRateLimiter(limits: limits)
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "logbookd")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        try DataDirectory.prepare(dataDir, logger: logger)
        let lock = try DataDirectoryLock.acquire(directory: dataDir)
        let log = try LMDBEventLog(directory: dataDir + "/log", logger: Logger(label: "logbook.log"))
        let secretPath = secretFile ?? dataDir + "/secret"
        let memberKeysPath = dataDir + "/member-keys"
        do {
            try DataDirectory.requireComplete(events: try await log.head().size, required: [secretPath, memberKeysPath])
        } catch {
            log.close()
            throw error
        }
        let secret = try ServerSecret.load(path: secretPath, logger: logger)
        let clock: @Sendable () -> Timestamp = SystemClock.now

        var senders: [Destination.Channel: any Sender] = [:]
        var webhookClient: HTTPClient?
        if !dev, let webhookURL,
            let webhookSecret = try WebhookSecret.load(file: webhookSecretFile, environment: ProcessInfo.processInfo.environment)
        {
            let perRequest = Duration.milliseconds(max(500, deliveryTimeout * 1000 / 2 - 200))
            let client = WebhookSender.makeClient()
            webhookClient = client
            let webhook = WebhookSender(url: webhookURL, client: client, secret: webhookSecret, requestTimeout: perRequest, attempts: 2)
            for channel in Destination.Channel.allCases { senders[channel] = webhook }
        }
        if passwordHashLogN < 17 { logger.warning("password hashes below OWASP's scrypt setting", metadata: ["log_n": "\(passwordHashLogN)"]) }
        let hasher = PasswordHasher(
            parameters: .init(logN: passwordHashLogN, r: 8, p: 1), threads: passwordHashThreads ?? System.coreCount)
        let blobs = FileBlobStore(root: dataDir + "/uploads")
        try await blobs.removeLeftovers()
        let signingKey = try SigningKey.load(path: dataDir + "/signing-key", logger: logger)
        let sign: @Sendable (LogHead) throws -> SignedCheckpoint = { try SignedCheckpoint(head: $0, privateKey: signingKey) }

        let domains = LogbookDomains(
            try await DomainContext(storage: log, clock: SystemClock.now, secret: secret, dev: dev, logger: logger),
            settings: .init(
                verification: .init(
                    limits: .init(resendIntervalSeconds: codeResendInterval, hourlyLimit: codeHourlyLimit), senders: senders,
                    deliveryTimeout: .seconds(deliveryTimeout), devOutboxCapacity: devOutboxCapacity),
                members: .init(keys: try FileMemberKeyStore(path: memberKeysPath), hasher: hasher),
                operations: .init(
                    metrics: registry, signCheckpoint: sign, uploads: (blobs, uploadQuotaBytes),
                    idempotencyRetentionSeconds: Int64(idempotencyRetentionHours) * 3600)))
        var server = ServerSettings()
        (server.host, server.port, server.adminToken) = (host, port, resolvedAdminToken)
        server.clients = ClientGuard(limiter: clientLimiter, addressing: ClientAddressing(trustForwardedFor: trustForwardedFor))
        (server.idleTimeout, server.maxConnections, server.maxHeaderBytes) = (.seconds(idleTimeout), maxConnections, maxHeaderBytes)
        let built = try await buildApplication(settings: server, domains: domains)
        let size = try await log.head().size
        logger.info("read models ready", metadata: ["events": "\(size)"])
        let app = built.application(
            services: [
                LogMetricsService(log: log), LogHealthService(log: log, logger: logger),
                CheckpointService(log: log, sign: sign, path: dataDir + "/checkpoint.json"),
            ],
            logger: logger)
        logger.info("logbookd listening", metadata: ["address": "\(host):\(port)", "dev": "\(dev)"])
        try await app.runService()
        try? await built.runtime.checkpointAll()
        try? await webhookClient?.shutdown()
        log.close()
        lock.release()
        logger.info("logbookd stopped")
    }
}
