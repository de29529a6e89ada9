public import EventSourcing
import Members
import ServiceLifecycle
import Synchronization

/// Follows the commit feed from where the search index was built and takes a deleted
/// member's posts out of it (and out of the body cache) as the deletion commits (the members domain deletes; this
/// process's feed commands never see it). The read model drops those posts by itself;
/// this keeps their words from lingering in memory.
struct SearchIndexJanitor: Service {
    let service: FeedsService
    let feed: CommitFeed

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var cursor = service.indexedThrough.withLock { $0 }
            while !Task.isCancelled {
                guard let events = try? await feed.events(after: cursor, limit: 4096), let last = events.last else {
                    if Task.isCancelled { return }
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                service.forgetDeletedAuthors(in: events)
                cursor = last.position
            }
        }
    }
}

extension FeedsService {
    /// Takes the posts of members deleted in `events` out of the search index and the body cache.
    public func forgetDeletedAuthors(in events: [RecordedEvent]) {
        for event in events where event.type == MemberDeleted.type && event.stream.isIn(.member) {
            search.removeAuthor(String(event.stream.id))
            bodies.forget(author: String(event.stream.id))
        }
    }
}
