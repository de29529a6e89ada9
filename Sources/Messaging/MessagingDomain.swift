public import EventSourcing
public import Members
public import Groups
public import ServerKit
public import ServiceLifecycle

/// Messaging (seed 002 `MessageService`, `GatewayService`; seed 001's pushes): direct and
/// group messages in conversations with a gapless seq, read marks and unread counts, the
/// `/v1/stream` WebSocket gateway (push, kickout, broadcast, resume by cursor) and
/// `/v1/sync`.
public struct MessagingDomain: Domain {
    public struct Settings: Sendable {
        /// Frames a socket may have queued before it is closed as a slow consumer (`--stream-queue`).
        public var queueCapacity: Int
        /// Seconds between the server's WebSocket pings (`--stream-ping-seconds`).
        public var pingSeconds: Int

        public init(queueCapacity: Int = 1024, pingSeconds: Int = 30) { (self.queueCapacity, self.pingSeconds) = (queueCapacity, pingSeconds) }
    }

    public let name = "messaging"
    public let model = LiveProjection<MessagesReadModel>()
    public let service: MessagesService
    public let gateway: Gateway
    public let socket: StreamSocket
    public let settings: Settings
    let dispatcher: GatewayDispatcher
    let kickout: GatewayKickout?

    public init(_ context: DomainContext, settings: Settings, members: MembersDomain, groups: GroupsDomain) {
        self.settings = settings
        service = MessagesService(log: context.log, messages: model, members: members.service, groups: groups.service, clock: context.clock)
        gateway = Gateway(queueCapacity: settings.queueCapacity, start: context.feed.head, metrics: context.metrics)
        let runtime = context.runtime
        let membersService = members.service
        socket = StreamSocket(
            gateway: gateway, service: service, authenticate: { membersService.authenticate(token: $0) },
            applied: { await runtime.applied(through: $0) })
        dispatcher = GatewayDispatcher(
            gateway: gateway, service: service, feed: context.feed, applied: { await runtime.applied(through: $0) }, logger: context.logger)
        let gateway = gateway
        kickout = members.service.revocations.map { GatewayKickout(gateway: gateway, revocations: $0) }
    }

    public var events: [any EventDecoding] { [MessageEvent.codec] }
    public var metrics: [MetricDescription] { MessagingMetrics.all }
    public var readModels: [any AnyLiveProjection] { [model] }
    public var services: [any Service] {
        var services: [any Service] = [dispatcher]
        if let kickout { services.append(kickout) }
        return services
    }

    public func addRoutes(to routes: RouteContext) {
        MessageRoutes(service: service, auth: routes.members, commands: routes.commands).register(on: routes)
        GatewayRoutes(socket: socket, gateway: gateway, service: service, admin: routes.admin, commands: routes.commands).register(on: routes)
    }
}
