public import ArgumentParser
import AsyncHTTPClient
import EventSourcing
import Feeds
import Foundation
import Groups
import Messaging
import HTTPAPI
public import ServerKit
import Hummingbird
import LMDBEventLog
public import Logging
import Members
import NIOCore
import Verification

extension LogbookLogHandler.Format: ExpressibleByArgument {}
extension ReviewMode: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}

/// The Logbook server: the LMDB log under `--data-dir`, the read models, the delivery
/// worker and the HTTP front. SIGTERM or SIGINT finish in-flight requests, save the
/// read models' checkpoints and close the log.
@main
struct Logbookd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logbookd", abstract: "Logbook: an event-sourced backend on LMDB.", version: LogbookRelease.description)

    @Option(help: "Where the log and the server secret live (default ./data).")
    var dataDir: String?

    @Option(help: "The address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(help: "The port to listen on (default 8080).")
    var port: Int?

    @Flag(help: "Dev mode: messages go to an in-memory outbox readable at /v1/dev/outbox.")
    var dev = false

    @Option(help: "A file whose first line is the admin token (or set LOGBOOK_ADMIN_TOKEN; never on the command line).")
    var adminTokenFile: String?

    @Option(help: "Seconds between two codes sent to one destination (default 60).")
    var codeResendInterval: Int64?

    @Option(help: "Codes sent to one destination per hour (default 5).")
    var codeHourlyLimit: Int?

    @Option(help: "The file holding the server secret (default: DATA_DIR/secret, created 0600 on first start; never replaced).")
    var secretFile: String?

    @Option(help: "Dev mode: how many messages the outbox keeps (default 1000).")
    var devOutboxCapacity: Int?

    @Option(help: "A gateway URL: messages are POSTed there as {\"channel\", \"to\", \"body\", \"key\"}, signed (outside dev mode).")
    var webhookURL: String?

    @Option(help: "The file holding the webhook signing secret (or LOGBOOK_WEBHOOK_SECRET; 32+ bytes; required with --webhook-url).")
    var webhookSecretFile: String?

    @Option(help: "Seconds a gateway call may take before it counts as a failed delivery attempt (default 10).")
    var deliveryTimeout: Int?

    @Option(help: "Gateway calls for code deliveries in flight at once, and the webhook's connections (1-1024, default 16).")
    var deliveryConcurrency: Int?

    @Option(help: "Bytes of uploads each member may store (distinct contents; default 100 MiB).")
    var uploadQuotaBytes: UInt64?

    @Option(help: "log2 of scrypt's N for password hashes (default 17, OWASP's setting; lower only for tests and benchmarks).")
    var passwordHashLogN: Int?

    @Option(help: "Threads hashing passwords at once (default: one per core).")
    var passwordHashThreads: Int?

    @Flag(inversion: .prefixedEnableDisable, help: "Limits per client address on logins, registrations, resets and code sends (default: on, off under --dev).")
    var clientLimits: Bool?

    @Option(help: "Logins (and password checks) per client address, as N/s|min|hour|day (default 20/min).")
    var limitLogins: String?

    @Option(help: "Registrations per client address (default 20/hour).")
    var limitRegistrations: String?

    @Option(help: "Password resets per client address (default 10/hour).")
    var limitResets: String?

    @Option(help: "Code sends per client address (default 30/hour).")
    var limitCodeSends: String?

    @Flag(help: "Take the client address from X-Forwarded-For (only behind a reverse proxy that sets it).")
    var trustForwardedFor = false

    @Option(help: "Seconds a connection may stay idle (or trickle a request head) before it is closed (default 30).")
    var idleTimeout: Int?

    @Option(help: "Connections open at once; beyond it new ones wait in the listen backlog (default 4096).")
    var maxConnections: Int?

    @Option(help: "Bytes of request headers at most, one field and all of them (default 16384).")
    var maxHeaderBytes: Int?

    @Option(help: "Hours an Idempotency-Key is kept before it may be pruned (default 25; API.md: at least 24).")
    var idempotencyRetentionHours: Int?

    @Option(help: "/readyz answers 503 while the read models trail the log by more events than this (default 10000).")
    var readinessLagLimit: UInt64?

    @Option(help: "Members a group may have at most; beyond it a join is 409 group_full (default 100000).")
    var groupMemberLimit: Int?

    @Option(help: "Feed moderation: auto (new and edited posts approved at once) or manual (pending until reviewed; default auto).")
    var feedReview: ReviewMode?

    @Option(help: "Bytes the log's file may grow to (its LMDB map, address space; default 1 TiB). Beyond it writes answer 503 until a restart with a larger value.")
    var maxMapSize: Int?

    @Flag(help: ArgumentHelp(
        "UNSAFE, for tests only (refused without --dev, never read from the environment or a config file): commit without fsync (MDB_NOSYNC), so a power loss loses acknowledged writes.",
        visibility: .hidden))
    var unsafeNoSync = false

    @Option(help: ArgumentHelp(
        "For tests only (refused without --dev, never read from the environment or a config file): keep idempotency keys, and codes after they expire, this many seconds instead of 25 hours and a day, so a soak sees them pruned.",
        visibility: .hidden))
    var testRetentionSeconds: Int?

    @Option(help: "Frames a /v1/stream socket may have queued; a client that falls further behind is closed as a slow consumer (default 1024).")
    var streamQueue: Int?

    @Option(help: "Seconds between the server's WebSocket pings on /v1/stream (default 30).")
    var streamPingSeconds: Int?

    @Option(help: "Log lines as text or json, one object per line (default text).")
    var logFormat: LogbookLogHandler.Format?

    @Option(help: "The lowest level logged: trace, debug, info, notice, warning, error or critical (default info).")
    var logLevel: Logger.Level?

    @Option(help: "A JSON config file: an object whose keys are these flags' names (or set LOGBOOK_CONFIG).")
    var config: String?

    @Flag(help: "Print the effective configuration, each value's source, secrets masked, and exit.")
    var printConfig = false

    /// The flag of a per-client limit, if given.
    func limitFlag(_ action: ClientRateLimiter.Action) -> String? {
        switch action {
        case .login: limitLogins
        case .registration: limitRegistrations
        case .reset: limitResets
        case .codeSend: limitCodeSends
        }
    }

    /// Every key a config file may hold: the flags' names.
    static let configKeys: Set<String> = [
        "data-dir", "host", "port", "dev", "admin-token-file", "code-resend-interval", "code-hourly-limit", "secret-file",
        "dev-outbox-capacity", "webhook-url", "webhook-secret-file", "delivery-timeout", "delivery-concurrency", "upload-quota-bytes", "password-hash-log-n", "password-hash-threads",
        "client-limits", "limit-logins", "limit-registrations", "limit-resets", "limit-code-sends", "trust-forwarded-for",
        "idle-timeout", "max-connections", "max-header-bytes", "idempotency-retention-hours", "readiness-lag-limit", "group-member-limit",
        "feed-review", "stream-queue", "stream-ping-seconds", "max-map-size", "log-format", "log-level",
    ]

    /// Resolves every setting (command line, environment, config file, defaults).
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (ServerOptions, SettingsResolver) {
        let file = config ?? environment["LOGBOOK_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let resolver = SettingsResolver(sources: try ConfigSources(environment: environment, configFile: file, keys: Self.configKeys))
        var options = try ServerOptions(self, resolver: resolver)
        do {
            options.webhookSecret = try WebhookSecret.load(file: options.webhookSecretFile, environment: environment)
        } catch {
            throw ConfigError("\(error)")
        }
        if options.webhookURL != nil, !options.dev, options.webhookSecret == nil {
            throw ConfigError("--webhook-url needs a signing secret: --webhook-secret-file PATH or \(WebhookSecret.environmentVariable) (32+ bytes)")
        }
        return (options, resolver)
    }

    func run() async throws {
        let o: ServerOptions
        let resolver: SettingsResolver
        do {
            (o, resolver) = try resolve()
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
        if unsafeNoSync, !o.dev { throw ValidationError("--unsafe-no-sync is for tests only and needs --dev") }
        if let seconds = testRetentionSeconds {
            guard o.dev else { throw ValidationError("--test-retention-seconds is for tests only and needs --dev") }
            guard seconds >= 1 else { throw ValidationError("--test-retention-seconds must be >= 1") }
        }
        if printConfig {
            print(resolver.report)
            return
        }
        LoggingSystem.bootstrap { label in LogbookLogHandler(label: label, format: o.logFormat, level: o.logLevel) }
        defer { LogOutput.standardError.flush() }  // lines are written by a thread of their own
        let logger = Logger(label: "logbookd")
        let metrics = MetricsRegistry()

        try DataDirectory.prepare(o.dataDir, logger: logger)
        let lock = try DataDirectoryLock.acquire(directory: o.dataDir)
        var logOptions = LMDBEventLogOptions()
        logOptions.maxMapSize = o.maxMapSize
        logOptions.initialMapSize = min(logOptions.initialMapSize, o.maxMapSize)
        if let seconds = testRetentionSeconds {
            logger.warning("--test-retention-seconds: idempotency keys and expired codes are forgotten early (API.md: keys live at least 24 h)",
                           metadata: ["seconds": "\(seconds)"])
        }
        if unsafeNoSync {
            logOptions.unsafeNoSync = true
            logger.critical(
                "UNSAFE: --unsafe-no-sync: commits are not synced to disk; a power loss loses acknowledged writes. For tests and benchmarks only, never for real data.")
        }
        let log = try LMDBEventLog(directory: o.dataDir + "/log", options: logOptions, logger: Logger(label: "logbook.log"))
        let secretPath = o.secretFile ?? o.dataDir + "/secret"
        let memberKeysPath = o.dataDir + "/member-keys"
        do {
            try DataDirectory.requireComplete(events: try await log.head().size, required: [secretPath, memberKeysPath])
        } catch {
            log.close()
            throw error
        }
        let secret = try ServerSecret.load(path: secretPath, logger: logger)

        var senders: [Destination.Channel: any Sender] = [:]
        var webhookClient: HTTPClient?
        if !o.dev, let webhookURL = o.webhookURL, let webhookSecret = o.webhookSecret {
            let perRequest = Duration.milliseconds(max(500, o.deliveryTimeout * 1000 / 2 - 200))
            let client = WebhookSender.makeClient(connections: o.deliveryConcurrency)
            webhookClient = client
            let webhook = WebhookSender(url: webhookURL, client: client, secret: webhookSecret, requestTimeout: perRequest, attempts: 2)
            for channel in Destination.Channel.allCases { senders[channel] = webhook }
        }
        if o.passwordHashLogN < 17 { logger.warning("password hashes below OWASP's scrypt setting", metadata: ["log_n": "\(o.passwordHashLogN)"]) }
        let hasher = PasswordHasher(
            parameters: .init(logN: o.passwordHashLogN, r: 8, p: 1), threads: o.passwordHashThreads ?? System.coreCount)
        let blobs = FileBlobStore(root: o.dataDir + "/uploads")
        try await blobs.removeLeftovers()
        let signingKey = try SigningKey.load(path: o.dataDir + "/signing-key", logger: logger)
        let sign: @Sendable (LogHead) throws -> SignedCheckpoint = { try SignedCheckpoint(head: $0, privateKey: signingKey) }

        let domains = LogbookDomains(
            try await DomainContext(storage: log, clock: SystemClock.now, secret: secret, dev: o.dev, logger: logger, metrics: metrics),
            settings: .init(
                verification: .init(
                    limits: .init(resendIntervalSeconds: o.codeResendInterval, hourlyLimit: o.codeHourlyLimit), senders: senders,
                    deliveryTimeout: .seconds(o.deliveryTimeout), deliveryConcurrency: o.deliveryConcurrency,
                    devOutboxCapacity: o.devOutboxCapacity,
                    codeRetentionSeconds: testRetentionSeconds.map(Int64.init) ?? VerificationsReadModel.defaultRetentionSeconds),
                members: .init(keys: try FileMemberKeyStore(path: memberKeysPath), hasher: hasher),
                operations: .init(
                    signCheckpoint: sign, uploads: (blobs, o.uploadQuotaBytes),
                    idempotencyRetentionSeconds: testRetentionSeconds.map(Int64.init) ?? Int64(o.idempotencyRetentionHours) * 3600,
                    readinessLagLimit: o.readinessLagLimit),
                groups: .init(memberLimit: o.groupMemberLimit), feeds: .init(review: o.feedReview),
                messaging: .init(queueCapacity: o.streamQueue, pingSeconds: o.streamPingSeconds)))
        var server = ServerSettings()
        (server.host, server.port, server.adminToken) = (o.host, o.port, o.adminToken)
        server.clients = ClientGuard(limiter: o.clientLimiter, addressing: ClientAddressing(trustForwardedFor: o.trustForwardedFor))
        (server.idleTimeout, server.maxConnections, server.maxHeaderBytes) = (.seconds(o.idleTimeout), o.maxConnections, o.maxHeaderBytes)
        let built = try await buildApplication(settings: server, domains: domains)
        let size = try await log.head().size
        logger.info("read models ready", metadata: ["events": "\(size)"])
        let app = built.application(
            services: [
                LogMetricsService(log: log, metrics: metrics), LogHealthService(log: log, logger: logger),
                CheckpointService(log: log, sign: sign, path: o.dataDir + "/checkpoint.json", logger: logger),
            ],
            logger: logger)
        logger.info("logbookd listening", metadata: ["address": "\(o.host):\(o.port)", "dev": "\(o.dev)"])
        try await app.runService()
        try? await built.runtime.checkpointAll()
        try? await webhookClient?.shutdown()
        log.close()
        lock.release()
        logger.info("logbookd stopped")
    }
}
