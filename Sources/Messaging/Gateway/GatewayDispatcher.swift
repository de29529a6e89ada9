public import EventSourcing
public import Logging
import Members
import Groups
import HashTreeCollections
public import ServiceLifecycle

/// Follows the commit feed and hands each committed message's frame to the sockets of its
/// recipients: both members of a direct pair (every device of each, the sender's others
/// included), every member of a group (from the groups read model). Events reach the feed
/// only once durable, so no frame announces a message a crash could lose.
public struct GatewayDispatcher: Service {
    let gateway: Gateway
    let service: MessagesService
    let feed: CommitFeed
    let logger: Logger

    public init(gateway: Gateway, service: MessagesService, feed: CommitFeed, logger: Logger) {
        (self.gateway, self.service, self.feed, self.logger) = (gateway, service, feed, logger)
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
            gateway.deliver(frames(events), through: last)
            cursor = last
        }
    }

    /// The frames of the messages among `events`, for their online recipients.
    func frames(_ events: [RecordedEvent]) -> [(frame: String, position: LogPosition, to: [String])] {
        events.compactMap { event in
            guard event.type == MessageSent.type, event.stream.isIn(.conversation), let sent = try? MessageSent(payload: event.payload) else {
                return nil
            }
            let recipients: [String]
            if sent.toGroupID.isEmpty {
                recipients = [sent.senderID, sent.toMemberID]
            } else {
                recipients = service.groups.members(of: sent.toGroupID).map { Array($0.keys) } ?? [sent.senderID]
            }
            let online = recipients.filter(gateway.isOnline)
            guard !online.isEmpty, let view = service.views([event]).first else { return nil }
            return (StreamFrames.message(view), event.position, online)
        }
    }
}
