/// Why a messaging command or query was refused. The HTTP layer maps each to API.md's
/// status and error code; none of them is a server fault.
public enum MessageError: Error, Hashable, Sendable {
    /// 400 `validation_failed` with the field.
    case invalid(field: String, reason: String)
    /// 401 `unauthenticated`.
    case unauthenticated
    /// 403 `forbidden`: not a member of the group, not a participant, or a disabled recipient.
    case forbidden(reason: String)
    /// 404: no such member, group or conversation.
    case notFound
}
