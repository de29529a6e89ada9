import EventSourcing
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
        // Bytes, marks and control characters first (cheap, bounded), then the rest.
        if let reason = TextRule.name(max: 32).violation(in: raw) { throw .invalid(field: field, reason: "\(field) \(reason)") }
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
        guard password.utf8.count <= 128 * TextRule.bytesPerCharacter, (8...128).contains(password.count) else {
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

    /// Free text of at most `max` characters under API.md's text rules (bytes, combining
    /// marks, no control characters but tab and newlines).
    public static func freeText(_ raw: String, field: String, max: Int, allowEmpty: Bool = true) throws(MemberError) -> String {
        if let reason = TextRule.freeText(min: allowEmpty ? 0 : 1, max: max).violation(in: raw) {
            throw .invalid(field: field, reason: "\(field) \(reason)")
        }
        return raw
    }

    /// A one-line text (a name, a zip code) of at most `max` characters, no control characters.
    public static func line(_ raw: String, field: String, max: Int, allowEmpty: Bool = true) throws(MemberError) -> String {
        if let reason = TextRule.name(min: allowEmpty ? 0 : 1, max: max).violation(in: raw) {
            throw .invalid(field: field, reason: "\(field) \(reason)")
        }
        return raw
    }

    /// A verification code: 6 digits.
    public static func code(_ raw: String) throws(MemberError) {
        guard raw.utf8.count == 6, raw.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw .invalid(field: "code", reason: "code must be 6 digits.")
        }
    }

    /// An address-book entry (seed 003 `AddressBook`): full name and address required,
    /// free text limits, a phone of digits and `+- ()`.
    public static func address(_ input: MembersService.AddressInput) throws(MemberError) -> PersonalData.Address {
        guard let kind = PersonalData.Address.Kind(rawValue: input.type) else {
            throw .invalid(field: "type", reason: "type must be none, main_live or main_shipping.")
        }
        let phone = input.phone.trimmingWhitespace
        guard phone.utf8.count <= 32, phone.allSatisfy({ $0.isASCII && ($0.isNumber || "+- ()".contains($0)) }) else {
            throw .invalid(field: "phone", reason: "phone must be up to 32 digits, spaces, +, -, ( and ).")
        }
        return PersonalData.Address(
            id: "", fullName: try line(input.fullName.trimmingWhitespace, field: "full_name", max: 64, allowEmpty: false),
            zipCode: try line(input.zipCode.trimmingWhitespace, field: "zip_code", max: 16),
            address: try freeText(input.address.trimmingWhitespace, field: "address", max: TextRule.freeTextMaximum, allowEmpty: false),
            phone: phone, kind: kind, isDefault: input.isDefault)
    }
}
