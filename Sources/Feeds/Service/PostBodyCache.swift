import Synchronization

/// Opened post bodies by post, so the lists and reads do not decrypt a post on every
/// request. An entry is valid while the post is at the version it was opened at. Bounded:
/// when full it starts over. A deleted member's entries are dropped with the deletion
/// (`SearchIndexJanitor`); the read model no longer lists their posts meanwhile, so a
/// stale entry is never served.
final class PostBodyCache: Sendable {
    struct Entry {
        var version: UInt64
        var author: String
        var body: PostBody
    }

    /// The entries by post, and the posts of each author (so forgetting an author costs
    /// their posts, not a walk over the whole cache).
    struct State {
        var entries: [String: Entry] = [:]
        var byAuthor: [String: Set<String>] = [:]

        mutating func remove(_ postID: String) {
            guard let entry = entries.removeValue(forKey: postID) else { return }
            byAuthor[entry.author]?.remove(postID)
            if byAuthor[entry.author]?.isEmpty == true { byAuthor[entry.author] = nil }
        }
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 200_000) { self.capacity = max(1, capacity) }

    func body(_ post: PostState) -> PostBody? {
        state.withLock { state in
            guard let entry = state.entries[post.id], entry.version == post.version else { return nil }
            return entry.body
        }
    }

    func remember(_ body: PostBody, for post: PostState) {
        // A full cache starts over; the old entries are freed after the lock is released.
        let dropped: State? = state.withLock { state in
            var dropped: State?
            if state.entries.count >= capacity, state.entries[post.id] == nil { dropped = state; state = State() }
            state.remove(post.id)
            state.entries[post.id] = Entry(version: post.version, author: post.authorID, body: body)
            state.byAuthor[post.authorID, default: []].insert(post.id)
            return dropped
        }
        _ = dropped
    }

    func forget(_ postID: String) { state.withLock { $0.remove(postID) } }

    /// Drops every entry of `author`: as many lookups as the author has posts cached.
    func forget(author: String) {
        state.withLock { state in
            for postID in state.byAuthor.removeValue(forKey: author) ?? [] { state.remove(postID) }
        }
    }
}
