public import EventSourcing
public import Members
public import ServerKit
public import ServiceLifecycle

/// Groups (seed 002 `GroupService`): lifecycle, membership with roles, paged members,
/// search, and leaving every group when an account is deleted. Messaging builds on its
/// read model (`GroupsService.isMember`, `members(of:)`).
public struct GroupsDomain: Domain {
    public struct Settings: Sendable {
        /// Members a group may have at most (`--group-member-limit`).
        public var memberLimit: Int

        public init(memberLimit: Int = 100_000) { self.memberLimit = memberLimit }
    }

    public let name = "groups"
    public let model = LiveProjection<GroupsReadModel>()
    public let service: GroupsService
    /// Members who delete their account leave their groups (a background service).
    public let reactor: AccountDeletionReactor

    public init(_ context: DomainContext, settings: Settings, members: MembersDomain) {
        service = GroupsService(
            log: context.log, groups: model, members: members.service, memberLimit: max(1, settings.memberLimit), clock: context.clock)
        reactor = AccountDeletionReactor(service: service, feed: context.feed, runtime: context.runtime, logger: context.logger)
    }

    public var events: [any EventDecoding] { [GroupEvent.codec] }
    public var readModels: [any AnyLiveProjection] { [model] }
    public var services: [any Service] { [reactor] }

    public func addRoutes(to routes: RouteContext) {
        GroupRoutes(service: service, auth: routes.members, commands: routes.commands).register(on: routes)
        GroupMemberRoutes(service: service, auth: routes.members, commands: routes.commands).register(on: routes)
    }
}
