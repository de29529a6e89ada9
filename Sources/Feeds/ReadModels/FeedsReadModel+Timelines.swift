import HashTreeCollections
import HeapModule
import EventSourcing

/// Following timelines: fan-out on write into a bounded window per member, fan-out on
/// read (a heap merge of the followed members' own lists) below it. See `Timeline` for
/// the invariant and ARCHITECTURE.md (Feeds) for the measurements behind the choice.
extension FeedsReadModel {
    /// Up to `limit` keys of the approved posts of the members `member` follows, below
    /// `cursor` (from the newest when nil), newest first.
    public func followingPage(_ member: String, below cursor: PostKey?, limit: Int) -> [PostKey] {
        guard let timeline = timelines[member] else { return [] }
        var out = timeline.keys.descending(below: cursor, limit: limit)
        guard out.count < limit, let floor = timeline.floor else { return out }
        out += mergeFollowed(member, below: min(cursor ?? floor, floor), limit: limit - out.count)
        return out
    }

    /// Fan-out on read: the newest `limit` approved posts below `bound` of the members
    /// `member` follows, merged from their own lists with a max-heap (one entry per
    /// followed member; each pop steps that member's list back by one).
    public func mergeFollowed(_ member: String, below bound: PostKey?, limit: Int) -> [PostKey] {
        guard limit > 0, let followed = followees[member] else { return [] }
        var lists: [SortedKeys<PostKey>] = []
        var heap = Heap<MergeEntry>()
        followed.forEachAscending(above: nil) { edge in
            if let list = published[edge.id], let position = list.position(below: bound) {
                heap.insert(MergeEntry(key: list[position], list: lists.count, position: position))
                lists.append(list)
            }
            return true
        }
        var out: [PostKey] = []
        while out.count < limit, let top = heap.popMax() {
            out.append(top.key)
            if let next = lists[top.list].before(top.position) {
                heap.insert(MergeEntry(key: lists[top.list][next], list: top.list, position: next))
            }
        }
        return out
    }

    struct MergeEntry: Comparable {
        var key: PostKey
        var list: Int
        var position: SortedKeys<PostKey>.Position
        static func < (lhs: MergeEntry, rhs: MergeEntry) -> Bool { lhs.key < rhs.key }
        static func == (lhs: MergeEntry, rhs: MergeEntry) -> Bool { lhs.key == rhs.key }
    }

    // MARK: Keeping the windows (on apply)

    /// A post was published: into the window of each of its author's followers.
    mutating func fanOut(_ key: PostKey, author: String) {
        guard let audience = followers[author] else { return }
        let window = timelineWindow
        audience.forEachAscending(above: nil) { edge in
            timelines[edge.id, default: Timeline()].add(key, window: window)
            return true
        }
    }

    /// A post was unpublished (deleted, rejected, edited back to pending, erased).
    mutating func withdraw(_ key: PostKey, author: String) {
        guard let audience = followers[author] else { return }
        audience.forEachAscending(above: nil) { edge in
            timelines[edge.id]?.keys.remove(key)
            return true
        }
    }

    /// `member` began to follow `target`: the target's posts at or above the window's
    /// floor go in (at most one more than the window, the rest would be trimmed anyway).
    mutating func timelineFollowed(_ member: String, _ target: String) {
        var timeline = timelines.removeValue(forKey: member) ?? Timeline()
        var added = 0
        published[target]?.forEachDescending(below: nil) { key in
            guard timeline.admits(key), added <= timelineWindow else { return false }
            timeline.keys.insert(key)
            added += 1
            return true
        }
        timeline.trim(window: timelineWindow)
        timelines[member] = timeline
    }

    /// `member` stopped following `target`: the target's posts leave the window (those
    /// below the floor were never in it).
    mutating func timelineUnfollowed(_ member: String, _ target: String) {
        guard var timeline = timelines.removeValue(forKey: member) else { return }
        published[target]?.forEachDescending(below: nil) { key in
            guard timeline.admits(key) else { return false }
            timeline.keys.remove(key)
            return true
        }
        timelines[member] = timeline
    }

    /// Rebuilds every window from the follows and the published lists (after a restore).
    mutating func rebuildTimelines() {
        timelines = [:]
        for (member, _) in followees {
            let top = mergeFollowed(member, below: nil, limit: timelineWindow + 1)
            var timeline = Timeline()
            timeline.keys = SortedKeys(sorted: top.prefix(timelineWindow).reversed())
            if top.count > timelineWindow { timeline.floor = top.prefix(timelineWindow).last }
            timelines[member] = timeline
        }
    }
}
