/// Why a feed command was refused. The HTTP layer maps each to API.md's status and error
/// code; none of them is a server fault.
public enum FeedError: Error, Hashable, Sendable {
    /// 400 `validation_failed` with the field.
    case invalid(field: String, reason: String)
    /// 401 `unauthenticated`: no valid bearer token.
    case unauthenticated
    /// 403 `forbidden`: the post or comment is someone else's.
    case forbidden
    /// 404: no such post, comment or member (or a post the caller may not see).
    case notFound
}
