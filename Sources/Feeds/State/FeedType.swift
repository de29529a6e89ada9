/// What a post carries (seed 002 `FeedType`): text only, 1-9 images, or one video.
public enum FeedType: String, Hashable, Sendable, CaseIterable, Codable {
    case text, image, video

    /// How many resources a post of this type takes.
    public var resourceCount: ClosedRange<Int> {
        switch self {
        case .text: 0...0
        case .image: 1...9
        case .video: 1...1
        }
    }
}

/// Where a post stands with the moderators (seed 002 `ReviewStatus`: submitted, passed,
/// failed). Only approved posts are shown to anyone but their author.
public enum ReviewStatus: String, Hashable, Sendable, CaseIterable, Codable {
    case pending, approved, rejected
}

/// Whether new and edited posts wait for a moderator (`--feed-review manual`) or are
/// approved at once (`auto`, the default).
public enum ReviewMode: String, Hashable, Sendable, CaseIterable {
    case auto, manual

    /// The status a new or edited post gets.
    public var initialStatus: ReviewStatus { self == .manual ? .pending : .approved }
}
