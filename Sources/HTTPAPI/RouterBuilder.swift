public import EventSourcing
public import Hummingbird
import Logging
public import Prometheus
public import Members
public import Verification

/// What the HTTP front serves from: the log (through its protocol) and the domain services.
public struct Services: Sendable {
    public var log: any EventLog
    public var verifications: VerificationService
    public var captchas: CaptchaService
    public var members: MembersService
    /// Dev mode's outbox and captcha answers; nil in production (then `/v1/dev/*` does not exist).
    public var devOutbox: DevOutbox?
    public var devCaptchaAnswers: DevCaptchaAnswers?
    public var metrics: PrometheusCollectorRegistry
    /// Signs heads for `GET /v1/log/checkpoint`; nil leaves the route out.
    public var signCheckpoint: (@Sendable (LogHead) throws -> SignedCheckpoint)?
    /// The token of `/v1/admin/*` (nil: admin routes answer 403).
    public var adminToken: String?
    /// Where uploads live, their usage model and quota; nil leaves the upload routes out.
    public var uploads: UploadsSetup?
    /// The clock for events that are not decisions of a domain service (uploads).
    public var clock: @Sendable () -> Timestamp
    /// The per-client limits (off in dev mode unless turned on) and how clients are told apart.
    public var clients: ClientGuard

    /// How command routes run (idempotency, metadata), with answers sealed under the server's
    /// or the member's key.
    public var commands: CommandRunner {
        CommandRunner(log: log, vault: AnswerVault(secrets: verifications.secrets, keys: members.keys), clock: clock)
    }

    public init(
        log: any EventLog, verifications: VerificationService, captchas: CaptchaService, members: MembersService, devOutbox: DevOutbox?,
        devCaptchaAnswers: DevCaptchaAnswers?, metrics: PrometheusCollectorRegistry,
        signCheckpoint: (@Sendable (LogHead) throws -> SignedCheckpoint)? = nil, adminToken: String? = nil,
        uploads: UploadsSetup? = nil, clients: ClientGuard = ClientGuard(), clock: @escaping @Sendable () -> Timestamp
    ) {
        self.clients = clients
        self.uploads = uploads
        self.clock = clock
        self.signCheckpoint = signCheckpoint
        self.adminToken = adminToken
        self.log = log
        self.verifications = verifications
        self.captchas = captchas
        self.members = members
        self.devOutbox = devOutbox
        self.devCaptchaAnswers = devCaptchaAnswers
        self.metrics = metrics
    }
}

/// The router with every route and the middleware of API.md's conventions.
public func buildRouter(_ services: Services) -> (Router<AppRequestContext>, RouteTable) {
    let router = Router(context: AppRequestContext.self)
    let table = RouteTable()
    router.middlewares.add(RequestLogMiddleware())
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(ErrorEnvelopeMiddleware(routes: table))
    OperationsRoutes(log: services.log, metrics: services.metrics).register(on: router, table: table)
    ProofRoutes(log: services.log).register(on: router, table: table)
    if let sign = services.signCheckpoint { CheckpointRoutes(log: services.log, sign: sign).register(on: router, table: table) }
    let (commands, clients) = (services.commands, services.clients)
    VerificationRoutes(service: services.verifications, commands: commands, clients: clients).register(on: router, table: table)
    if let uploads = services.uploads {
        UploadRoutes(uploads: uploads, log: services.log, auth: MemberAuth(service: services.members), clock: services.clock)
            .register(on: router, table: table)
    }
    AdminEventRoutes(log: services.log, auth: AdminAuth(token: services.adminToken)).register(on: router, table: table)
    MemberRoutes(service: services.members, commands: commands, clients: clients).register(on: router, table: table)
    MemberAccountRoutes(service: services.members, commands: commands, clients: clients).register(on: router, table: table)
    AddressRoutes(service: services.members, commands: commands, clients: clients).register(on: router, table: table)
    SessionRoutes(service: services.members, commands: commands, clients: clients).register(on: router, table: table)
    PasswordResetRoutes(service: services.members, commands: commands, clients: clients).register(on: router, table: table)
    AdminMemberRoutes(service: services.members, auth: AdminAuth(token: services.adminToken), commands: commands).register(on: router, table: table)
    CaptchaRoutes(service: services.captchas, devAnswers: services.devCaptchaAnswers, commands: commands).register(on: router, table: table)
    if let outbox = services.devOutbox { DevRoutes(outbox: outbox).register(on: router, table: table) }
    return (router, table)
}
