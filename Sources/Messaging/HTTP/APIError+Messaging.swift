import HTTPTypes
public import ServerKit

extension MessageError: APIErrorConvertible {
    /// API.md's statuses and codes for the messaging routes.
    public var apiError: APIError {
        switch self {
        case .invalid(let field, let reason): .validation(field: field, reason)
        case .unauthenticated: .unauthenticated
        case .forbidden(let reason): APIError(.forbidden, "forbidden", reason)
        case .notFound: APIError(.notFound, "not_found", "No such member, group or conversation.")
        }
    }
}
