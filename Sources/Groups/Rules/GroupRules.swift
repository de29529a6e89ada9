import EventSourcing
import Members
import Verification

/// The input rules of API.md's Groups section. Pure; every refusal names its field.
public enum GroupRules {
    /// The longest group name, in characters.
    public static let maxName = 64
    /// The longest introduction, in characters.
    public static let maxIntroduction = 1000

    /// 1-64 characters under API.md's text rules (bytes, combining marks, no control or
    /// format characters), without leading or trailing whitespace.
    public static func name(_ raw: String) throws(GroupError) -> String {
        if let reason = TextRule.name(max: maxName).violation(in: raw) { throw .invalid(field: "name", reason: "name \(reason)") }
        let name = raw.trimmingWhitespace
        guard !name.isEmpty else { throw .invalid(field: "name", reason: "name must be 1-\(maxName) characters, not only spaces.") }
        return name
    }

    /// Up to 1,000 characters of free text (tab and newlines allowed, other control characters not).
    public static func introduction(_ raw: String) throws(GroupError) -> String {
        if let reason = TextRule.freeText(max: maxIntroduction).violation(in: raw) {
            throw .invalid(field: "introduction", reason: "introduction \(reason)")
        }
        return raw.trimmingWhitespace
    }

    /// Empty (no avatar) or an http(s) URL of at most 2,048 bytes, as for members.
    public static func avatarURL(_ raw: String) throws(GroupError) -> String {
        do {
            return try MemberRules.avatarURL(raw)
        } catch {
            throw .invalid(field: "avatar_url", reason: "avatar_url must be an http(s) URL.")
        }
    }

    /// A role the owner may give: `admin` or `member`.
    public static func assignableRole(_ raw: String) throws(GroupError) -> GroupRole {
        guard let role = GroupRole(rawValue: raw), role != .owner else {
            throw .invalid(field: "role", reason: "role must be admin or member.")
        }
        return role
    }

    /// A member id of a path or body: `me` is the caller; anything but an entity id names nobody (404).
    public static func memberID(_ raw: String, caller: String) throws(GroupError) -> String {
        if raw == "me" { return caller }
        guard let id = EntityID(raw) else { throw .notFound }
        return id.rawValue
    }
}
