public import EventSourcing
public import Feeds
import Logging
public import Members
public import ServerKit
import Synchronization
public import Verification
public import Groups
public import Messaging

/// The domain list: every domain the server runs, built in dependency order. Adding a
/// domain is its folder, its `Package.swift` target, and one line here (a property, built
/// in `init`, listed in `all`).
public struct LogbookDomains: Sendable {
    public struct Settings: Sendable {
        public var verification: VerificationDomain.Settings
        public var members: MembersDomain.Settings
        public var operations: OperationsDomain.Settings
        public var groups: GroupsDomain.Settings
        public var feeds: FeedsDomain.Settings
        public var messaging: MessagingDomain.Settings

        public init(
            verification: VerificationDomain.Settings, members: MembersDomain.Settings, operations: OperationsDomain.Settings,
            groups: GroupsDomain.Settings = .init(), feeds: FeedsDomain.Settings = .init(), messaging: MessagingDomain.Settings = .init()
        ) {
            (self.verification, self.members, self.operations) = (verification, members, operations)
            (self.groups, self.feeds, self.messaging) = (groups, feeds, messaging)
        }
    }

    public let context: DomainContext
    public let verification: VerificationDomain
    public let members: MembersDomain
    public let operations: OperationsDomain
    public let groups: GroupsDomain
    public let feeds: FeedsDomain
    public let messaging: MessagingDomain

    public init(_ context: DomainContext, settings: Settings) {
        self.context = context
        let registryBox = RegistryBox()
        verification = VerificationDomain(context, settings: settings.verification)
        members = MembersDomain(context, settings: settings.members, verification: verification)
        groups = GroupsDomain(context, settings: settings.groups, members: members)
        messaging = MessagingDomain(context, settings: settings.messaging, members: members, groups: groups)
        operations = OperationsDomain(context, settings: settings.operations, registry: { registryBox.registry })
        feeds = FeedsDomain(context, settings: settings.feeds, members: members)
        registryBox.set(EventRegistry(all.flatMap(\.events)))
    }

    /// Every domain, in the order their routes and read models are added.
    public var all: [any Domain] { [verification, members, operations, groups, feeds, messaging] }

    /// Every domain's events in one registry (dumps, admin routes, audits).
    public var registry: EventRegistry { EventRegistry(all.flatMap(\.events)) }

    /// Every metric the domains and the HTTP front declare.
    public var metrics: [MetricDescription] { ServerMetrics.all + all.flatMap(\.metrics) }

    /// Every name `/metrics` may show: the domains', and the LMDB log's (which `logbookd`
    /// records from the log's commit statistics).
    public var metricCatalog: [MetricDescription] { metrics + LogStorageMetrics.all }

    /// Every domain's read models.
    public var readModels: [any AnyLiveProjection] { all.flatMap(\.readModels) }
}

/// The registry, known once every domain exists (the operations domain serves it).
final class RegistryBox: Sendable {
    private let value = Mutex(EventRegistry([]))
    var registry: EventRegistry { value.withLock { $0 } }
    func set(_ registry: EventRegistry) { value.withLock { $0 = registry } }
}

extension LogbookDomains {
    /// The domains over `log` for audits: their read models and events, nothing that sends,
    /// hashes or opens personal data (no keys).
    public static func audit(log: any EventLog) async throws -> LogbookDomains {
        LogbookDomains(
            try await DomainContext(
                storage: log, clock: { Timestamp(millisecondsSince1970: 0) }, secret: Array(repeating: 0, count: 32), dev: false,
                logger: Logger(label: "logbook.audit")),
            settings: .init(
                verification: .init(),
                members: .init(keys: InMemoryMemberKeyStore(), hasher: PasswordHasher(parameters: .testing, threads: 1)),
                operations: .init()))
    }
}
