/// Why a member command was refused. The HTTP layer maps each to API.md's status and
/// error code; none of them is a server fault.
public enum MemberError: Error, Hashable, Sendable {
    /// 400 `validation_failed` with the field.
    case invalid(field: String, reason: String)
    /// 400 `weak_password`.
    case weakPassword(reason: String)
    /// 400 `verification_required`: the key is not approved for this operation and address.
    case verificationRequired
    /// 409 `username_taken`.
    case usernameTaken
    /// 409 `display_name_taken`.
    case displayNameTaken
    /// 409 `phone_member_limit`.
    case phoneMemberLimit
    /// 409 `member_choice_required`: the phone has several members; pick one by id.
    case memberChoiceRequired([MemberChoice])
    /// 401 `invalid_credentials`, whatever failed.
    case invalidCredentials
    /// 401 `unauthenticated`: no valid bearer token.
    case unauthenticated
    /// 429 `too_many_attempts`: the account's logins are locked for a while.
    case locked(retryAfterSeconds: Int64)
    /// 429 `rate_limited`: too many password hashes queued.
    case busy
    /// 404.
    case notFound
    /// 422 `code_incorrect`.
    case codeIncorrect(attemptsLeft: Int)
    /// 410 `expired`.
    case expired
    /// 410 `canceled`: a newer reset replaced this one.
    case canceled
    /// 429 `too_many_attempts` for a reset code.
    case tooManyAttempts

    /// One of a phone's members, for `memberChoiceRequired`.
    public struct MemberChoice: Hashable, Sendable {
        public var id: String
        public var displayName: String
    }
}
