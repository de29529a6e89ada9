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

    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(capacity: Int = 200_000) { self.capacity = max(1, capacity) }

    func body(_ post: PostState) -> PostBody? {
        entries.withLock { entries in
            guard let entry = entries[post.id], entry.version == post.version else { return nil }
            return entry.body
        }
    }

    func remember(_ body: PostBody, for post: PostState) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[post.id] == nil { entries.removeAll(keepingCapacity: true) }
            entries[post.id] = Entry(version: post.version, author: post.authorID, body: body)
        }
    }

    func forget(_ postID: String) { _ = entries.withLock { $0.removeValue(forKey: postID) } }

    /// Drops every entry of `author`. The walk over the entries (up to `capacity`) runs on a
    /// copy, outside the lock the reads take; only the removals run under it.
    func forget(author: String) {
        let keys: [String] = {
            let snapshot = entries.withLock { $0 }  // O(1): copy-on-write
            return snapshot.compactMap { $0.value.author == author ? $0.key : nil }
        }()  // the copy is released here, so the removals below do not copy the whole map
        guard !keys.isEmpty else { return }
        entries.withLock { entries in
            for key in keys where entries[key]?.author == author { entries.removeValue(forKey: key) }
        }
    }
}
