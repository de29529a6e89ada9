import Foundation
import Verification

/// The input rules of API.md's Members section: usernames, display names, passwords,
/// genders, avatar URLs and address-book entries. Pure; every refusal names its field.
public enum MemberRules {
    /// 3-32 of `[A-Za-z0-9_]`; unique in any case (claims use the lower-cased form).
    public static func username(_ raw: String) throws(MemberError) -> String {
        guard (3...32).contains(raw.utf8.count),
            raw.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F })
        else { throw .invalid(field: "username", reason: "username must be 3-32 of a-z, 0-9 and _.") }
        return raw
    }

    /// 1-32 characters of letters (any script), digits, space, `_` and `-`, not starting
    /// or ending with a space and without double spaces (seed 003 ValidateDisplayName).
    public static func displayName(_ raw: String, field: String = "display_name") throws(MemberError) -> String {
        let name = raw.precomposedStringWithCanonicalMapping
        guard (1...32).contains(name.count) else {
            throw .invalid(field: field, reason: "display_name must be 1-32 characters.")
        }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " || $0 == "_" || $0 == "-" }) else {
            throw .invalid(field: field, reason: "display_name may hold letters, digits, space, _ and - only.")
        }
        guard name.first != " ", name.last != " ", !name.contains("  ") else {
            throw .invalid(field: field, reason: "display_name must not start or end with a space or hold two in a row.")
        }
        return name
    }

    /// The form display names are unique in (case-insensitive).
    public static func displayNameKey(_ name: String) -> String { name.lowercased() }

    static let commonPasswords: Set<String> = [
        "password", "password1", "password123", "12345678", "123456789", "1234567890", "qwertyuiop", "qwerty123",
        "iloveyou", "11111111", "00000000", "abc12345", "abcd1234", "1q2w3e4r", "88888888", "66666666", "a1234567",
        "passw0rd", "letmein1", "welcome1", "admin123", "sunshine", "football", "baseball", "superman", "trustno1",
    ]

    /// 8-128 characters, not the username or display name (any case), not all one
    /// character, not a run of consecutive digits, not one of the most common passwords.
    public static func password(_ password: String, username: String?, displayName: String? = nil, field: String = "password") throws(MemberError) {
        guard (8...128).contains(password.count) else {
            throw .weakPassword(reason: "\(field) must be 8-128 characters.")
        }
        let lower = password.lowercased()
        if let username, lower == username.lowercased() || (username.count >= 6 && lower.contains(username.lowercased())) {
            throw .weakPassword(reason: "\(field) must not be or contain the username.")
        }
        if let displayName, lower == displayName.lowercased() {
            throw .weakPassword(reason: "\(field) must not be the display name.")
        }
        if Set(password).count == 1 { throw .weakPassword(reason: "\(field) must not repeat one character.") }
        let digits = password.compactMap(\.wholeNumberValue)
        if digits.count == password.count, zip(digits, digits.dropFirst()).allSatisfy({ ($1 - $0 + 10) % 10 == 1 }) {
            throw .weakPassword(reason: "\(field) must not be a run of digits.")
        }
        if commonPasswords.contains(lower) { throw .weakPassword(reason: "\(field) is too common.") }
    }

    public static func gender(_ raw: String) throws(MemberError) -> PersonalData.Gender {
        guard let gender = PersonalData.Gender(rawValue: raw) else {
            throw .invalid(field: "gender", reason: "gender must be unknown, male or female.")
        }
        return gender
    }

    /// Empty (no avatar) or an http(s) URL of at most 2,048 bytes.
    public static func avatarURL(_ raw: String) throws(MemberError) -> String {
        guard raw.isEmpty || (raw.utf8.count <= 2048 && (raw.hasPrefix("https://") || raw.hasPrefix("http://"))
            && URL(string: raw)?.host != nil)
        else { throw .invalid(field: "avatar_url", reason: "avatar_url must be an http(s) URL.") }
        return raw
    }

    /// An E.164 phone (or 11-digit mainland China mobile), normalised.
    public static func phone(_ raw: String, field: String = "phone") throws(MemberError) -> String {
        guard let destination = Destination(channel: .sms, raw: raw) else {
            throw .invalid(field: field, reason: "\(field) must be an E.164 phone number.")
        }
        return destination.address
    }

    /// An email address, normalised (domain lower-cased).
    public static func email(_ raw: String, field: String = "email") throws(MemberError) -> String {
        guard let destination = Destination(channel: .email, raw: raw) else {
            throw .invalid(field: field, reason: "\(field) must be an email address.")
        }
        return destination.address
    }

    /// A text field of at most `max` characters.
    public static func text(_ raw: String, field: String, max: Int, allowEmpty: Bool = true) throws(MemberError) -> String {
        guard raw.count <= max, allowEmpty || !raw.isEmpty,
            !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .invalid(field: field, reason: "\(field) must be \(allowEmpty ? "0" : "1")-\(max) characters without control characters.") }
        return raw
    }
}
