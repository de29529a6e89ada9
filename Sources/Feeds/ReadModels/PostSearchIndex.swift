import EventSourcing
import Synchronization

/// Post search (`q` on the feed lists): an inverted index from the kernel's `TextTokens`
/// (whole words in Latin scripts, any case; Chinese, Japanese and Korean by characters and
/// character pairs) to posts, each posting list ordered by `PostKey` so a newest-first page
/// intersects lists from its cursor and stops after `limit` (the kernel's `TextIndex`
/// answers unordered sets, which would mean sorting every match per page).
///
/// Post text is personal data and must not rest in a snapshot, so this index lives beside
/// the read model, in memory only: built at start from the opened posts and updated by
/// this process's own commands after their appends (the log's only writer); posts of a
/// deleted member leave it when the deletion commits (`SearchIndexJanitor`). Results are
/// always intersected with the read model's lists, so a post the model no longer shows
/// never reaches an answer.
final class PostSearchIndex: Sendable {
    struct Entry {
        var key: PostKey
        var author: String
        var tokens: Set<String>
    }

    struct State {
        var postings: [String: SortedKeys<PostKey>] = [:]
        var entries: [String: Entry] = [:]
        var byAuthor: [String: Set<String>] = [:]
    }

    private let state = Mutex(State())

    /// How many posts are indexed.
    var count: Int { state.withLock { $0.entries.count } }

    /// Indexes the post under `text` (replacing what it was indexed under).
    func set(_ key: PostKey, author: String, text: String) {
        let tokens = TextTokens.index(text)
        state.withLock { state in
            let old = state.entries[key.id]?.tokens ?? []
            for token in old.subtracting(tokens) { Self.removePosting(token, key, in: &state) }
            for token in tokens.subtracting(old) { state.postings[token, default: SortedKeys()].insert(key) }
            state.entries[key.id] = Entry(key: key, author: author, tokens: tokens)
            state.byAuthor[author, default: []].insert(key.id)
        }
    }

    func remove(_ postID: String) { state.withLock { Self.remove(postID, in: &$0) } }

    /// Forgets every post of a deleted member.
    func removeAuthor(_ author: String) {
        state.withLock { state in
            for id in state.byAuthor.removeValue(forKey: author) ?? [] { Self.remove(id, in: &state) }
        }
    }

    /// The posting list of every token of `query` (copies that share storage); nil when the
    /// query has no token, and an empty array when some token is in no post.
    func postings(for query: String) -> [SortedKeys<PostKey>]? {
        let tokens = TextTokens.query(query)
        guard !tokens.isEmpty else { return nil }
        return state.withLock { state in
            var lists: [SortedKeys<PostKey>] = []
            for token in tokens {
                guard let list = state.postings[token] else { return [] }
                lists.append(list)
            }
            return lists
        }
    }

    private static func remove(_ postID: String, in state: inout State) {
        guard let entry = state.entries.removeValue(forKey: postID) else { return }
        for token in entry.tokens { removePosting(token, entry.key, in: &state) }
        state.byAuthor[entry.author]?.remove(postID)
        if state.byAuthor[entry.author]?.isEmpty == true { state.byAuthor[entry.author] = nil }
    }

    private static func removePosting(_ token: String, _ key: PostKey, in state: inout State) {
        state.postings[token]?.remove(key)
        if state.postings[token]?.isEmpty == true { state.postings[token] = nil }
    }
}
