public import EventSourcing
public import Logging
import Members
public import ServiceLifecycle

/// Members who delete their account leave every group. The members domain knows nothing
/// of groups, so this background service of the groups domain follows the commit feed for
/// `member.deleted.v1` (and for joins that raced a deletion), waits until the read model
/// has applied them, and has `GroupsService.processDeletedMembers` append the group events.
///
/// The read model keeps the deleted members that still hold memberships, so the work
/// survives a crash: at start the reactor processes what is left (a deletion committed just
/// before the crash), then each wake-up of the feed. The appends are at expected versions
/// and decide nothing for a member already gone, so running twice is harmless.
public struct AccountDeletionReactor: Service {
    let service: GroupsService
    let feed: CommitFeed
    let runtime: ProjectionRuntime
    let logger: Logger

    public init(service: GroupsService, feed: CommitFeed, runtime: ProjectionRuntime, logger: Logger) {
        (self.service, self.feed, self.runtime, self.logger) = (service, feed, runtime, logger)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await follow() }
    }

    /// Processes what is pending, then follows the feed until cancelled.
    public func follow() async {
        var cursor = feed.head
        await runtime.applied(through: cursor)
        var pending = !(await service.processDeletedMembers())
        while !Task.isCancelled {
            let events: [RecordedEvent]
            do {
                // While some group could not be written, wake at least once a second to retry.
                events = try await feed.events(after: cursor, limit: 1024, timeout: pending ? .seconds(1) : nil)
            } catch {
                logger.warning("groups reactor cannot read the log", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            if let last = events.last?.position { cursor = last }
            guard pending || events.contains(where: Self.concerns) else { continue }
            await runtime.applied(through: cursor)
            pending = !(await service.processDeletedMembers())
            if pending { logger.warning("groups reactor will retry members who deleted their accounts") }
        }
    }

    /// A member's account deletion, or a join (one that raced a deletion must be undone too).
    static func concerns(_ event: RecordedEvent) -> Bool {
        if event.type == MemberDeleted.type, event.stream.isIn(.member) { return (try? MemberDeleted(payload: event.payload)) != nil }
        return event.type == GroupMemberJoined.type && event.stream.isIn(.group)
    }
}
