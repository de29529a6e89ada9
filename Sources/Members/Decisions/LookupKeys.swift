import EventSourcing
public import Verification

/// The keyed hashes (HMAC under a server key) by which personal values are looked up
/// without being stored: display names, phones and emails in claim stream names, the
/// target of a password reset.
public struct LookupKeys: Sendable {
    let secrets: CodeSecrets

    public init(secrets: CodeSecrets) { self.secrets = secrets }

    public func displayName(_ name: String) -> String { secrets.lookupID(kind: "displayname", value: MemberRules.displayNameKey(name)) }
    public func phone(_ phone: String) -> String { secrets.lookupID(kind: "phone", value: phone) }
    public func email(_ email: String) -> String { secrets.lookupID(kind: "email", value: email) }
    /// What a password reset names (`username`, `email` or `phone` with its normalised value).
    public func resetTarget(kind: String, value: String) -> String { secrets.lookupID(kind: "reset-\(kind)", value: value) }
}
