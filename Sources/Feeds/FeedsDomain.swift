public import EventSourcing
public import Members
public import ServerKit
public import ServiceLifecycle

/// Posts, likes, views, comments, follows, timelines, ranking, search and moderation
/// (seed 002 `FeedService`), as the server runs them.
public struct FeedsDomain: Domain {
    public struct Settings: Sendable {
        /// Whether new and edited posts wait for a moderator (`--feed-review`).
        public var review: ReviewMode
        /// How often counted views are flushed to the log (at most this much is lost in a crash).
        public var viewFlushInterval: Duration

        public init(review: ReviewMode = .auto, viewFlushInterval: Duration = .seconds(1)) {
            (self.review, self.viewFlushInterval) = (review, viewFlushInterval)
        }
    }

    public let name = "feeds"
    public let model = LiveProjection<FeedsReadModel>()
    public let service: FeedsService
    let settings: Settings
    let feed: CommitFeed

    public init(_ context: DomainContext, settings: Settings, members: MembersDomain) {
        self.settings = settings
        feed = context.feed
        service = FeedsService(log: context.log, model: model, members: members.service, review: settings.review, clock: context.clock)
    }

    public var events: [any EventDecoding] { [FeedEvent.codec] }
    public var readModels: [any AnyLiveProjection] { [model] }

    public var services: [any Service] {
        [ViewFlushService(service: service, interval: settings.viewFlushInterval), SearchIndexJanitor(service: service, feed: feed)]
    }

    /// Builds the post search index (memory only: post text is personal data).
    public func start() async throws { service.start() }

    public func addRoutes(to routes: RouteContext) {
        let callers = FeedCallers(members: routes.members, admin: routes.admin)
        FeedListRoutes(service: service, callers: callers).register(on: routes)
        FeedRoutes(service: service, callers: callers, commands: routes.commands).register(on: routes)
        CommentRoutes(service: service, callers: callers, commands: routes.commands).register(on: routes)
        FollowRoutes(service: service, callers: callers, commands: routes.commands).register(on: routes)
        AdminFeedRoutes(service: service, admin: routes.admin, commands: routes.commands).register(on: routes)
    }
}
