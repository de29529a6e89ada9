public import EventSourcing
public import Logging
import Members
import Groups
public import HashTreeCollections
public import ServiceLifecycle

/// Follows the commit feed and hands each committed message's frame to the sockets of its
/// recipients: both members of a direct pair (every device of each, the sender's others
/// included), every member of a group (from the groups read model). Events reach the feed
/// only once durable, so no frame announces a message a crash could lose.
///
/// A group message goes to the members online whose tenure holds its position (the read
/// models are awaited through the batch first): not to one who joined after it was sent.
/// One removed between the message and its dispatch (a feed hop) is no longer among the
/// group's members here and gets it by sync or on resume, not live.
public struct GatewayDispatcher: Service {
    let gateway: Gateway
    let service: MessagesService
    let feed: CommitFeed
    let applied: @Sendable (LogPosition) async -> Void
    let logger: Logger

    public init(
        gateway: Gateway, service: MessagesService, feed: CommitFeed, applied: @escaping @Sendable (LogPosition) async -> Void = { _ in },
        logger: Logger
    ) {
        (self.gateway, self.service, self.feed, self.applied, self.logger) = (gateway, service, feed, applied, logger)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await follow() }
    }

    func follow() async {
        var cursor = feed.head
        gateway.deliver([], through: cursor)
        while !Task.isCancelled {
            let events: [RecordedEvent]
            do {
                events = try await feed.events(after: cursor, limit: 1024)
            } catch {
                logger.warning("gateway cannot read the log", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            guard let last = events.last?.position else { continue }
            await applied(last)
            gateway.deliver(frames(events), through: last)
            cursor = last
        }
    }

    /// Those of `members` who were in the group of `conversation` at `position`.
    public static func members(
        _ members: [String], inAt position: LogPosition, of conversation: String,
        tenures: TreeDictionary<String, TreeDictionary<String, GroupTenure>>
    ) -> [String] {
        members.filter { tenures[$0]?[conversation]?.contains(position) ?? false }
    }

    /// The frames of the messages among `events`, for their online recipients.
    func frames(_ events: [RecordedEvent]) -> [(frame: String, position: LogPosition, to: [String])] {
        // Copied once per batch, at its first group message (O(1); read outside the lock the
        // projector needs).
        var tenures: TreeDictionary<String, TreeDictionary<String, GroupTenure>>?
        return events.compactMap { event in
            guard event.type == MessageSent.type, event.stream.isIn(.conversation), let sent = try? MessageSent(payload: event.payload) else {
                return nil
            }
            let online: [String]
            if sent.toGroupID.isEmpty {
                online = [sent.senderID, sent.toMemberID].filter(gateway.isOnline)
            } else {
                let present = service.groups.members(of: sent.toGroupID).map(gateway.online(among:)) ?? [sent.senderID].filter(gateway.isOnline)
                let held = tenures ?? service.messages.read { model, _ in model.tenures }
                tenures = held
                online = Self.members(present, inAt: event.position, of: String(event.stream.id), tenures: held)
            }
            guard !online.isEmpty, let view = service.views([event]).first else { return nil }
            return (StreamFrames.message(view), event.position, online)
        }
    }
}
