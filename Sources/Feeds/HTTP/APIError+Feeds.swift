import HTTPTypes
public import ServerKit

extension FeedError: APIErrorConvertible {
    /// API.md's statuses and codes for the feed routes.
    public var apiError: APIError {
        switch self {
        case .invalid(let field, let reason): .validation(field: field, reason)
        case .unauthenticated: .unauthenticated
        case .forbidden: APIError(.forbidden, "forbidden", "Only the author (or a moderator) may do that.")
        case .notFound: APIError(.notFound, "not_found", "No such post, comment or member.")
        }
    }
}
