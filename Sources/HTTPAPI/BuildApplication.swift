public import EventSourcing
public import Hummingbird
import HummingbirdWebSocket
import Messaging
public import Logging
import Members
public import ServerKit
public import ServiceLifecycle

/// How the HTTP server runs: where it listens and API.md's limits around requests.
public struct ServerSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The admin token of `/v1/admin/*` (nil: admin routes answer 403).
    public var adminToken: String?
    /// The per-client limits and how clients are told apart.
    public var clients = ClientGuard()
    public var idleTimeout: Duration = .seconds(30)
    public var maxConnections = 4096
    public var maxHeaderBytes = 16_384

    public init() {}
}

/// The running parts of the server: the domains' read models (started), the router with
/// every route, and its OpenAPI table.
public struct LogbookServer: Sendable {
    public let domains: LogbookDomains
    public let runtime: ProjectionRuntime
    public let table: RouteTable
    public let settings: ServerSettings

    public init(domains: LogbookDomains, runtime: ProjectionRuntime, table: RouteTable, settings: ServerSettings) {
        (self.domains, self.runtime, self.table, self.settings) = (domains, runtime, table, settings)
    }

    /// The router with every domain's routes and API.md's conventions.
    public func router() -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.middlewares.add(RequestIDMiddleware())
        router.middlewares.add(RequestTelemetryMiddleware(metrics: domains.context.metrics))
        router.middlewares.add(ErrorEnvelopeMiddleware(routes: table))
        let context = domains.context
        let commands = CommandRunner(
            log: context.log, vault: AnswerVault(secret: context.secret, members: domains.members.answerSealer), clock: context.clock)
        let routes = RouteContext(
            router: router, table: table, commands: commands, clients: settings.clients.metered(by: context.metrics), members: MemberAuth(domains.members.authenticator),
            admin: AdminAuth(token: settings.adminToken), dev: context.dev)
        for domain in domains.all { domain.addRoutes(to: routes.tagged(domain.name)) }
        return router
    }

    /// The Hummingbird application: the router, the HTTP limits, and every domain's
    /// background services plus `services`.
    public func application(services: [any Service] = [], logger: Logger) -> some ApplicationProtocol {
        var app = Application(
            router: router(),
            server: .http1WebSocketUpgrade(
                configuration: .init(
                    http1: .init(
                        additionalChannelHandlers: [ParseErrorEnvelopeHandler()],
                        idleTimeout: .nanoseconds(Int64(settings.idleTimeout.components.seconds) * 1_000_000_000),
                        httpDecoderConfiguration: .init(
                            maxHeaderFieldSize: settings.maxHeaderBytes, maxHeaderListSize: settings.maxHeaderBytes, maxHeaderFieldCount: 100)),
                    ws: .init(
                        maxFrameSize: 1 << 16,
                        autoPing: .enabled(timePeriod: .seconds(Int64(max(1, domains.messaging.settings.pingSeconds)))))),
                shouldUpgrade: { [socket = domains.messaging.socket] request, _, _ in socket.shouldUpgrade(request) }),
            configuration: .init(
                address: .hostname(settings.host, port: settings.port), serverName: "logbookd",
                availableConnectionsDelegate: .maximum(settings.maxConnections, logger: logger)),
            logger: logger)
        app.addServices(domains.all.flatMap(\.services) + services)
        return app
    }
}

/// Builds the server over `log`: starts every domain's read models (restore, catch up,
/// follow commits), runs each domain's `start()`, and returns what serves. Used by
/// `logbookd`, the tests' server, and (without serving) the audit tool.
public func buildApplication(settings: ServerSettings, domains: LogbookDomains) async throws -> LogbookServer {
    let runtime = domains.context.runtime
    runtime.add(domains.readModels)
    try await runtime.start()
    for domain in domains.all { try await domain.start() }
    domains.context.metrics.preregister(domains.metrics)
    return LogbookServer(domains: domains, runtime: runtime, table: RouteTable(), settings: settings)
}
