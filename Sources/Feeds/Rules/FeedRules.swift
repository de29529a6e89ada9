import Foundation
import EventSourcing

/// The input rules of API.md's Feeds section (seed 002 `FeedCreate`): a post's text and
/// resources by type, comments, remarks and the review status filter. Pure; every refusal
/// names its field.
public enum FeedRules {
    public static let maxContent = 5_000
    public static let maxComment = 1_000
    public static let maxURLBytes = 2_048

    /// A post body for `kind`: text takes 1-5,000 characters and no resources; image 1-9
    /// resources and video exactly one, each with up to 5,000 characters of text.
    public static func body(_ kind: FeedType, content: String?, resources: [String]?) throws(FeedError) -> PostBody {
        let content = content ?? ""
        if let reason = TextRule.freeText(max: maxContent).violation(in: content) { throw .invalid(field: "content", reason: "content \(reason)") }
        if kind == .text, content.allSatisfy(\.isWhitespace) {
            throw .invalid(field: "content", reason: "A text post needs 1-\(maxContent) characters of content.")
        }
        let resources = resources ?? []
        guard kind.resourceCount.contains(resources.count) else {
            let wanted = switch kind {
            case .text: "A text post takes no resources."
            case .image: "An image post takes 1-9 resources."
            case .video: "A video post takes exactly 1 resource."
            }
            throw .invalid(field: "resources", reason: wanted)
        }
        for (index, resource) in resources.enumerated() { try url(resource, field: "resources.\(index)") }
        return PostBody(content: content, resources: resources)
    }

    /// A resource: an http(s) URL with a host, or an upload of this server (`/v1/uploads/<sha256>`),
    /// at most 2,048 bytes, no spaces or control characters.
    public static func url(_ raw: String, field: String) throws(FeedError) {
        let refused = FeedError.invalid(field: field, reason: "\(field) must be an http(s) URL or /v1/uploads/<sha256>.")
        guard !raw.isEmpty, raw.utf8.count <= maxURLBytes, raw.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw refused }
        if raw.hasPrefix("/v1/uploads/") {
            let hash = raw.utf8.dropFirst("/v1/uploads/".utf8.count)
            guard hash.count == 64, hash.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { throw refused }
            return
        }
        guard raw.hasPrefix("https://") || raw.hasPrefix("http://"), let host = URL(string: raw)?.host, !host.isEmpty else { throw refused }
    }

    /// A comment: 1-1,000 characters, not only spaces.
    public static func comment(_ raw: String) throws(FeedError) -> String {
        if let reason = TextRule.freeText(min: 1, max: maxComment).violation(in: raw) { throw .invalid(field: "content", reason: "content \(reason)") }
        guard !raw.allSatisfy(\.isWhitespace) else { throw .invalid(field: "content", reason: "content must not be blank.") }
        return raw
    }

    /// A moderator's remark: free text up to 1,000 characters.
    public static func remark(_ raw: String?) throws(FeedError) -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        if let reason = TextRule.freeText(max: TextRule.freeTextMaximum).violation(in: raw) {
            throw .invalid(field: "remark", reason: "remark \(reason)")
        }
        return raw
    }

    /// A review decision: approved or rejected.
    public static func verdict(_ raw: String) throws(FeedError) -> ReviewStatus {
        guard let status = ReviewStatus(rawValue: raw), status != .pending else {
            throw .invalid(field: "status", reason: "status must be approved or rejected.")
        }
        return status
    }

    /// The `review_status` filter: nil when absent or empty.
    public static func statusFilter(_ raw: String?) throws(FeedError) -> ReviewStatus? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let status = ReviewStatus(rawValue: raw) else {
            throw .invalid(field: "review_status", reason: "review_status must be pending, approved or rejected.")
        }
        return status
    }
}
