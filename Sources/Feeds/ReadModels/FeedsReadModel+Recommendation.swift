import HashTreeCollections
import HeapModule
public import EventSourcing

/// `GET /v1/feeds/recommended`: the approved posts with the highest `HotScore` at `now`,
/// without scoring every post. The score grows with a post's points and falls with its
/// age, so Fagin's threshold algorithm applies: walk the newest list and the engagement
/// list side by side, score each post met, and stop once the `limit`-th best score is
/// above what any post not yet met could reach (the score of the engagement list's
/// current points at the newest list's current age). Exact, and it touches only the
/// posts near the top of either list.
extension FeedsReadModel {
    public func recommended(limit: Int, now: Timestamp) -> [(key: PostKey, hot: Double)] {
        guard limit > 0 else { return [] }
        let now = now.millisecondsSince1970
        var best = Heap<Ranked>()  // the best `limit` so far; min on top
        var seen = Set<String>()
        var byTime = newest.lastPosition, byPoints = engagement.lastPosition
        func consider(_ post: PostState) {
            guard seen.insert(post.id).inserted else { return }
            let ranked = Ranked(hot: HotScore.score(points: post.engagement, createdAt: post.createdAt.millisecondsSince1970, now: now), key: post.key)
            if best.count < limit {
                best.insert(ranked)
            } else if let worst = best.min, worst < ranked {
                _ = best.replaceMin(with: ranked)
            }
        }
        // Both lists hold every approved post, so when either runs out every post was met.
        while let timePosition = byTime, let pointsPosition = byPoints {
            let byTimeKey = newest[timePosition], byPointsKey = engagement[pointsPosition]
            if let post = posts[byTimeKey.id] { consider(post) }
            if let post = posts[byPointsKey.post.id] { consider(post) }
            (byTime, byPoints) = (newest.before(timePosition), engagement.before(pointsPosition))
            // Unmet posts are no newer than the newest list's position and have no more points
            // than the engagement list's: none can score above this.
            let threshold = HotScore.score(points: byPointsKey.points, createdAt: byTimeKey.time, now: now)
            if best.count == limit, let worst = best.min, worst.hot > threshold { break }
        }
        var ranked: [Ranked] = []
        while let top = best.popMax() { ranked.append(top) }
        return ranked.map { ($0.key, $0.hot) }
    }

    /// A scored post: higher score first, then the newer.
    struct Ranked: Comparable {
        var hot: Double
        var key: PostKey
        static func < (lhs: Ranked, rhs: Ranked) -> Bool { lhs.hot != rhs.hot ? lhs.hot < rhs.hot : lhs.key < rhs.key }
    }
}
