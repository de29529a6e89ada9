import HTTPTypes
public import ServerKit

extension VerificationError: APIErrorConvertible {
    /// API.md's statuses and codes for the verification routes.
    public var apiError: APIError {
        switch self {
        case .invalid(let field, let reason): return .validation(field: field, reason)
        case .rateLimited(let seconds):
            var error = APIError(.tooManyRequests, "rate_limited", "Too many codes sent to this destination; retry later.")
            error.retryAfterSeconds = seconds
            return error
        case .notFound: return APIError(.notFound, "not_found", "No such verification.")
        case .expired: return APIError(.gone, "expired", "The code expired.")
        case .canceled: return APIError(.gone, "canceled", "A newer code replaced this one.")
        case .alreadyUsed: return APIError(.conflict, "already_used", "The code was already used.")
        case .tooManyAttempts:
            // For good: no `Retry-After`, since waiting never helps (a client that honoured
            // `Retry-After: 0` retried in a loop). The way on is a new send.
            return APIError(.tooManyRequests, "too_many_attempts", "Too many wrong codes; send a new one.")
        case .notApproved: return APIError(.badRequest, "verification_required", "The verification key is not approved for this.")
        }
    }
}
