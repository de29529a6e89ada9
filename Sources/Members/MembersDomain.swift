public import EventSourcing
public import ServerKit
public import Verification

/// Members, sessions, passwords, resets, address books, admin tools and erasure (seeds 001,
/// 002 `UserService`, 003), as the server runs them.
public struct MembersDomain: Domain {
    public struct Settings: Sendable {
        /// Where each member's personal-data key lives (the file of `FileMemberKeyStore`).
        public var keys: any MemberKeyStore
        public var hasher: PasswordHasher

        public init(keys: any MemberKeyStore, hasher: PasswordHasher) {
            self.keys = keys
            self.hasher = hasher
        }
    }

    public let name = "members"
    public let model = LiveProjection<MembersReadModel>()
    public let service: MembersService

    public init(_ context: DomainContext, settings: Settings, verification: VerificationDomain) {
        service = MembersService(
            log: context.log, members: model, verifications: verification.service, keys: settings.keys, hasher: settings.hasher,
            clock: context.clock, feed: context.feed)
        MembersMetrics.instrument(hasher: settings.hasher, gate: service.gate, metrics: context.metrics)
    }

    public var metrics: [MetricDescription] { MembersMetrics.all }

    public var events: [any EventDecoding] { [MemberEvent.codec] }
    public var readModels: [any AnyLiveProjection] { [model] }

    /// Who bearer tokens belong to, for every domain's routes.
    public var authenticator: any MemberAuthenticating { service }
    /// Seals stored answers that hold a member's personal data under that member's key.
    public var answerSealer: any MemberAnswerSealing { MemberAnswerSealer(keys: service.keys) }

    /// Finishes deletions a crash cut short and builds the search index.
    public func start() async throws { try await service.start() }

    public func addRoutes(to routes: RouteContext) {
        let (commands, clients) = (routes.commands, routes.clients)
        MemberRoutes(service: service, commands: commands, clients: clients).register(on: routes)
        MemberAccountRoutes(service: service, commands: commands, clients: clients).register(on: routes)
        AddressRoutes(service: service, commands: commands, clients: clients).register(on: routes)
        SessionRoutes(service: service, commands: commands, clients: clients).register(on: routes)
        PasswordResetRoutes(service: service, commands: commands, clients: clients).register(on: routes)
        AdminMemberRoutes(service: service, auth: routes.admin, commands: commands).register(on: routes)
    }
}
