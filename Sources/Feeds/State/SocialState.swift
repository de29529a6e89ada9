public import EventSourcing
public import HashTreeCollections

/// A member's likes and follows (the fold of `feedsocial-<member id>`).
public struct SocialState: Hashable, Sendable {
    /// The version of `feedsocial-<member id>` (kept when the sets empty, so appends stay exact).
    public var version: StreamVersion = 0
    /// The posts the member likes.
    public var likes: TreeSet<String> = []
    /// The members the member follows, with when (ms) each follow began.
    public var following: TreeDictionary<String, Int64> = [:]

    public init() {}
}

/// A member's materialized following timeline (fan-out on write), bounded to a window.
///
/// Invariant: `keys` holds exactly the published posts of the members followed whose key
/// is at least `floor` (all of them when `floor` is nil). New posts at or above the floor
/// go in; when the window overflows, the oldest leave and the floor rises to the new
/// oldest. Reading below the floor merges the followed members' own lists (fan-out on
/// read), so a timeline has no depth limit while memory stays bounded.
public struct Timeline: Sendable {
    public internal(set) var keys = SortedKeys<PostKey>()
    public internal(set) var floor: PostKey?

    public init() {}

    /// Whether `key` belongs inside the window.
    func admits(_ key: PostKey) -> Bool { floor.map { key >= $0 } ?? true }

    mutating func add(_ key: PostKey, window: Int) {
        guard admits(key) else { return }
        keys.insert(key)
        trim(window: window)
    }

    mutating func trim(window: Int) {
        guard keys.count > window else { return }
        while keys.count > window { keys.removeFirst() }
        floor = keys.first
    }
}

extension SortedKeys: Hashable where Key: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for chunk in chunks { for key in chunk { hasher.combine(key) } }
    }
}
