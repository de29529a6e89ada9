import HTTPTypes
public import ServerKit

extension MemberError: APIErrorConvertible {
    /// API.md's statuses and codes for the member routes.
    public var apiError: APIError { APIError(self) }
}

extension KeyStoreError: APIErrorConvertible {
    /// The member key file could not be written: storage, not the client.
    public var apiError: APIError {
        APIError(.serviceUnavailable, "unavailable", "Storage cannot accept writes right now; reads go on.")
    }
}

extension APIError {
    init(_ error: MemberError) {
        switch error {
        case .invalid(let field, let reason): self = .validation(field: field, reason)
        case .weakPassword(let reason):
            self.init(.badRequest, "weak_password", reason)
            field = "password"
        case .verificationRequired:
            self.init(.badRequest, "verification_required", "A verification key approved for this operation and phone is required.")
        case .usernameTaken: self.init(.conflict, "username_taken", "That username is taken.")
        case .displayNameTaken: self.init(.conflict, "display_name_taken", "That display name is taken.")
        case .phoneMemberLimit: self.init(.conflict, "phone_member_limit", "This phone already has the most members it may have.")
        case .memberChoiceRequired(let choices):
            self.init(.conflict, "member_choice_required", "This phone has several members: send member_id.")
            members = choices.map { ["id": $0.id, "display_name": $0.displayName] }
        case .invalidCredentials: self.init(.unauthorized, "invalid_credentials", "The credentials are not valid.")
        case .unauthenticated: self = .unauthenticated
        case .locked(let seconds):
            self.init(.tooManyRequests, "too_many_attempts", "Too many failed logins for this account; retry later.")
            retryAfterSeconds = seconds
        case .busy:
            self.init(.tooManyRequests, "rate_limited", "The server is busy hashing passwords; retry shortly.")
            retryAfterSeconds = 1
        case .notFound: self.init(.notFound, "not_found", "No such member, address or reset.")
        case .codeIncorrect(let left):
            self.init(.unprocessableContent, "code_incorrect", "The code is not right.")
            attemptsLeft = left
        case .expired: self.init(.gone, "expired", "The code expired.")
        case .canceled: self.init(.gone, "canceled", "A newer request replaced this one.")
        case .tooManyAttempts:
            // The reset is spent for good: no `Retry-After` (waiting never helps; start a new reset).
            self.init(.tooManyRequests, "too_many_attempts", "Too many wrong codes; start again.")
        }
    }

}
