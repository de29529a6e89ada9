public import EventSourcing
public import ServiceLifecycle

/// A domain as the server runs it: one folder that brings its events, read models, routes
/// and background services, and plugs in with one line in the domain list
/// (`LogbookDomains`). `buildApplication` registers the codecs in the event registry,
/// starts the read models (restore, catch up, follow commits), calls `start()`, adds the
/// routes and runs the services; `logbook replay` rebuilds the same read models.
///
/// ```swift
/// public struct FeedsDomain: Domain {
///     public let name = "feeds"
///     public var events: [any EventDecoding] { [FeedEvent.codec] }
///     public var readModels: [any AnyLiveProjection] { [posts, timelines] }
///     public func addRoutes(to routes: RouteContext) { FeedRoutes(service: service).register(on: routes) }
/// }
/// ```
public protocol Domain: Sendable {
    /// A short name (logs, metrics).
    var name: String { get }
    /// The domain's event codecs: its events, declared once.
    var events: [any EventDecoding] { get }
    /// Its read models, kept current by the projection runtime.
    var readModels: [any AnyLiveProjection] { get }
    /// Adds its routes (with their OpenAPI entries) to the server.
    func addRoutes(to routes: RouteContext)
    /// Work after the read models caught up and before the server answers (repairs, indexes).
    func start() async throws
    /// Work that runs for the server's lifetime (delivery, pruning, ...).
    var services: [any Service] { get }
    /// The metrics it records (through `DomainContext.metrics`).
    var metrics: [MetricDescription] { get }
}

extension Domain {
    public var events: [any EventDecoding] { [] }
    public var readModels: [any AnyLiveProjection] { [] }
    public func addRoutes(to routes: RouteContext) {}
    public func start() async throws {}
    public var services: [any Service] { [] }
    public var metrics: [MetricDescription] { [] }
}
