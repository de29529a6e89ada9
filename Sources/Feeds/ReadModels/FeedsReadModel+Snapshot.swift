import HashTreeCollections
import EventSourcing
import Members

extension FeedsReadModel {
    /// Canonical: the facts only (posts, comments, each member's likes and follows, the
    /// deleted members), each sorted by id. Indexes are rebuilt from them on restore.
    /// Bodies stay sealed.
    public func snapshot() -> [UInt8] {
        var w = BinaryWriter(capacity: 256 * posts.count + 128 * comments.count + 64)
        w.write(UInt64(posts.count))
        for (_, post) in posts.sorted(by: { $0.key < $1.key }) { post.write(to: &w) }
        w.write(UInt64(comments.count))
        for (_, comment) in comments.sorted(by: { $0.key < $1.key }) {
            w.write(comment.id); w.write(comment.postID); w.write(comment.authorID); w.write(comment.content)
            w.write(comment.createdAt); w.write(comment.version)
        }
        w.write(UInt64(social.count))
        for (member, state) in social.sorted(by: { $0.key < $1.key }) {
            w.write(member); w.write(state.version)
            w.write(UInt64(state.likes.count)); for post in state.likes.sorted() { w.write(post) }
            w.write(UInt64(state.following.count))
            for (target, ms) in state.following.sorted(by: { $0.key < $1.key }) { w.write(target); w.write(ms) }
        }
        w.write(UInt64(gone.count)); for member in gone.sorted() { w.write(member) }
        return w.bytes
    }

    public init(snapshot: [UInt8]) throws {
        self.init()
        try BinaryReader.read(snapshot) { r in
            for _ in 0..<(try r.readCount()) {
                let post = try PostState(from: &r)
                posts[post.id] = post
            }
            for _ in 0..<(try r.readCount()) {
                let id = try r.readString()
                let added = CommentAdded(postID: try r.readString(), authorID: try r.readString(), content: try r.readSealedPart())
                var comment = CommentState(id: id, added: added, at: try r.readTimestamp())
                comment.version = try r.readUInt64()
                comments[id] = comment
            }
            for _ in 0..<(try r.readCount()) {
                let member = try r.readString()
                var state = SocialState()
                state.version = try r.readUInt64()
                for _ in 0..<(try r.readCount()) { state.likes.insert(try r.readString()) }
                for _ in 0..<(try r.readCount()) { state.following[try r.readString()] = try r.readInt64() }
                social[member] = state
            }
            for _ in 0..<(try r.readCount()) { gone.insert(try r.readString()) }
        }
        rebuildIndexes()
    }

    /// Every index from the facts, in one pass each (sorted bulk builds, no per-key inserts).
    mutating func rebuildIndexes() {
        var byAuthor: [String: [PostKey]] = [:], byAuthorPublished: [String: [PostKey]] = [:]
        var all: [PostKey] = [], waiting: [PostKey] = [], refused: [PostKey] = [], ranked: [EngagementKey] = []
        for (_, post) in posts {
            byAuthor[post.authorID, default: []].append(post.key)
            switch post.status {
            case .approved:
                byAuthorPublished[post.authorID, default: []].append(post.key)
                all.append(post.key)
                ranked.append(post.engagementKey)
            case .pending: waiting.append(post.key)
            case .rejected: refused.append(post.key)
            }
        }
        authored = TreeDictionary(uniqueKeysWithValues: byAuthor.map { ($0.key, SortedKeys(sorted: $0.value.sorted())) })
        published = TreeDictionary(uniqueKeysWithValues: byAuthorPublished.map { ($0.key, SortedKeys(sorted: $0.value.sorted())) })
        (newest, pending, rejected) = (SortedKeys(sorted: all.sorted()), SortedKeys(sorted: waiting.sorted()), SortedKeys(sorted: refused.sorted()))
        engagement = SortedKeys(sorted: ranked.sorted())

        var onPost: [String: [PostKey]] = [:], byMember: [String: [String]] = [:]
        for (_, comment) in comments {
            onPost[comment.postID, default: []].append(comment.key)
            byMember[comment.authorID, default: []].append(comment.id)
        }
        postComments = TreeDictionary(uniqueKeysWithValues: onPost.map { ($0.key, SortedKeys(sorted: $0.value.sorted())) })
        commentsBy = TreeDictionary(uniqueKeysWithValues: byMember.map { ($0.key, TreeSet($0.value)) })

        var likedBy: [String: [String]] = [:], followedBy: [String: [PostKey]] = [:], following: [String: [PostKey]] = [:]
        for (member, state) in social {
            for post in state.likes { likedBy[post, default: []].append(member) }
            for (target, ms) in state.following {
                followedBy[target, default: []].append(PostKey(time: ms, id: member))
                following[member, default: []].append(PostKey(time: ms, id: target))
            }
        }
        likers = TreeDictionary(uniqueKeysWithValues: likedBy.map { ($0.key, TreeSet($0.value)) })
        followers = TreeDictionary(uniqueKeysWithValues: followedBy.map { ($0.key, SortedKeys(sorted: $0.value.sorted())) })
        followees = TreeDictionary(uniqueKeysWithValues: following.map { ($0.key, SortedKeys(sorted: $0.value.sorted())) })
        rebuildTimelines()
    }
}

extension PostState {
    func write(to w: inout BinaryWriter) {
        w.write(id); w.write(authorID); w.write(kind.rawValue); w.write(body); w.write(status.rawValue)
        w.write(createdAt); w.write(updatedAt); w.write(likeCount); w.write(commentCount); w.write(viewCount)
        w.write(reviewCount); w.write(reviewedAt); w.write(version)
    }

    init(from r: inout BinaryReader) throws {
        let id = try r.readString(), author = try r.readString(), kind = try r.readFeedType(), body = try r.readSealedPart()
        let status = try r.readReviewStatus(), createdAt = try r.readTimestamp()
        self.init(id: id, created: PostCreated(authorID: author, kind: kind, body: body, status: status), at: createdAt)
        updatedAt = try r.readTimestamp()
        (likeCount, commentCount, viewCount) = (try r.readInt(), try r.readInt(), try r.readUInt64())
        (reviewCount, reviewedAt, version) = (try r.readInt(), try r.readOptionalTimestamp(), try r.readUInt64())
    }
}
