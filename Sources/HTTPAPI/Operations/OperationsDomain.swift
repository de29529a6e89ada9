public import EventSourcing
public import ServerKit
public import ServiceLifecycle

/// What the server offers about itself and the log (API.md "Operations and audit"):
/// health, metrics, the OpenAPI document, the log's head and proofs, signed checkpoints,
/// the admin event pages and stream, uploads, and the pruning of idempotency keys.
public struct OperationsDomain: Domain {
    public struct Settings: Sendable {
        /// Signs heads for `GET /v1/log/checkpoint`; nil leaves the route out.
        public var signCheckpoint: (@Sendable (LogHead) throws -> SignedCheckpoint)?
        /// Where uploads live and each member's quota; nil leaves the upload routes out.
        public var uploads: (store: any BlobStore, quotaBytes: UInt64)?
        /// Keys are kept this long, then pruned (API.md: at least 24 h).
        public var idempotencyRetentionSeconds: Int64
        /// `/readyz` answers 503 while the read models trail the log's head by more events.
        public var readinessLagLimit: UInt64

        public init(
            signCheckpoint: (@Sendable (LogHead) throws -> SignedCheckpoint)? = nil,
            uploads: (store: any BlobStore, quotaBytes: UInt64)? = nil, idempotencyRetentionSeconds: Int64 = 25 * 3600,
            readinessLagLimit: UInt64 = 10_000
        ) {
            self.readinessLagLimit = readinessLagLimit
            (self.signCheckpoint, self.uploads) = (signCheckpoint, uploads)
            self.idempotencyRetentionSeconds = idempotencyRetentionSeconds
        }
    }

    public let name = "operations"
    public let statistics = LiveProjection<LogStatistics>()
    public let uploadUsage = LiveProjection<UploadsReadModel>()
    let settings: Settings
    let context: DomainContext
    /// Every domain's events, for the admin routes (set by the domain list).
    let registry: @Sendable () -> EventRegistry

    public init(_ context: DomainContext, settings: Settings, registry: @escaping @Sendable () -> EventRegistry) {
        self.context = context
        self.settings = settings
        self.registry = registry
    }

    public var events: [any EventDecoding] { [UploadEvent.codec] }
    public var readModels: [any AnyLiveProjection] { [uploadUsage, statistics] }
    public var services: [any Service] {
        [
            IdempotencyPruningService(
                log: context.log, retentionSeconds: settings.idempotencyRetentionSeconds, clock: context.clock, metrics: context.metrics),
            ReadModelLagService(log: context.storage, runtime: context.runtime, metrics: context.metrics),
        ]
    }

    public var metrics: [MetricDescription] { OperationsMetrics.all }

    public func addRoutes(to routes: RouteContext) {
        OperationsRoutes(
            log: context.storage, metrics: context.metrics, runtime: context.runtime, readinessLagLimit: settings.readinessLagLimit).register(on: routes)
        ProofRoutes(log: context.log).register(on: routes)
        if let sign = settings.signCheckpoint { CheckpointRoutes(log: context.log, sign: sign).register(on: routes) }
        AdminEventRoutes(
            log: context.storage, auth: routes.admin, registry: registry(), feed: context.feed, metrics: context.metrics).register(on: routes)
        AdminReadModelRoutes(runtime: context.runtime, auth: routes.admin).register(on: routes)
        if let uploads = settings.uploads {
            UploadRoutes(
                uploads: UploadsSetup(store: uploads.store, usage: uploadUsage, quotaBytes: uploads.quotaBytes), log: context.log,
                auth: routes.members, clock: context.clock
            ).register(on: routes)
        }
    }
}
