/// Why a verification command was refused. The HTTP layer maps each to API.md's
/// status and error code; none of them is a server fault.
public enum VerificationError: Error, Hashable, Sendable {
    /// A field is missing or malformed (400 `validation_failed`).
    case invalid(field: String, reason: String)
    /// The resend gap or the hourly limit for this destination (429 `rate_limited`).
    case rateLimited(retryAfterSeconds: Int64)
    /// Unknown or destroyed key (404).
    case notFound
    /// The code expired (410 `expired`).
    case expired
    /// A newer send replaced the code (410 `canceled`).
    case canceled
    /// The code was already approved (409 `already_used`).
    case alreadyUsed
    /// Five wrong checks locked the code for good (429 `too_many_attempts`).
    case tooManyAttempts
    /// The code is not approved for what it is being used for, or was used already
    /// (another command maps this to its own error).
    case notApproved
}
