import Foundation
public import EventSourcing

/// The hot score that ranks `GET /v1/feeds/recommended` (Hacker News' family):
///
///     points = likes + 2 × comments + views / 10
///     hot    = (points + 1)^0.8 / (age_hours + 2)^1.8
///
/// where `age_hours` is the time from the post's creation event to `now` (0 when `now` is
/// earlier). A pure function of event data and `now`, so a rebuilt read model ranks
/// exactly as the live one did. It grows with every kind of engagement and falls with age,
/// which is what lets the recommendation stop early (`Recommendation`).
public enum HotScore {
    public static let likeWeight: Int64 = 10
    public static let commentWeight: Int64 = 20
    public static let viewWeight: Int64 = 1

    /// The score of a post with `points` tenths of a point, created at `createdAt`, seen at `now`.
    public static func score(points tenths: Int64, createdAt: Int64, now: Int64) -> Double {
        let points = Double(max(0, tenths)) / 10
        let ageHours = Double(max(0, now - createdAt)) / 3_600_000
        return pow(points + 1, 0.8) / pow(ageHours + 2, 1.8)
    }

    public static func score(likes: Int, comments: Int, views: UInt64, createdAt: Timestamp, now: Timestamp) -> Double {
        let tenths = likeWeight * Int64(likes) + commentWeight * Int64(comments) + Int64(clamping: min(views, UInt64(Int64.max / 2)))
        return score(points: tenths, createdAt: createdAt.millisecondsSince1970, now: now.millisecondsSince1970)
    }

    public static func score(_ post: PostState, now: Timestamp) -> Double {
        score(points: post.engagement, createdAt: post.createdAt.millisecondsSince1970, now: now.millisecondsSince1970)
    }
}
