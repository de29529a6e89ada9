/// Where a code goes: a normalised phone number (sms, call) or email address (email).
public struct Destination: Hashable, Sendable {
    public enum Channel: String, Sendable, CaseIterable {
        case sms, email, call
    }

    public let channel: Channel
    /// The normalised address: E.164 (`+8613712345678`) or a lower-cased email address.
    public let address: String

    /// Validates and normalises `raw` for `channel`; nil when it is not a valid address.
    ///
    /// Phones: E.164 (`+` then 8-15 digits, no leading zero), or an 11-digit mainland
    /// China mobile number (`1[3-9]` then 9 digits), which becomes `+86…`.
    /// Emails: one `@`, a local part of 1-64 and a domain of 1-253 characters with a dot,
    /// no spaces or control characters, 254 characters at most; the domain is lower-cased.
    public init?(channel: Channel, raw: String) {
        self.channel = channel
        switch channel {
        case .sms, .call:
            guard let phone = Self.phone(raw) else { return nil }
            address = phone
        case .email:
            guard let email = Self.email(raw) else { return nil }
            address = email
        }
    }

    /// The address with most of it hidden: `+86137****5678`, `a***@example.com`.
    public var masked: String {
        switch channel {
        case .sms, .call:
            let chars = Array(address)
            guard chars.count > 8 else { return String(repeating: "*", count: chars.count) }
            return String(chars.prefix(chars.count - 8)) + "****" + String(chars.suffix(4))
        case .email:
            let parts = address.split(separator: "@", maxSplits: 1)
            guard parts.count == 2, let first = parts[0].first else { return "***" }
            return "\(first)***@\(parts[1])"
        }
    }

    static func phone(_ raw: String) -> String? {
        let trimmed = raw.trimmingWhitespace
        let digits = trimmed.hasPrefix("+") ? trimmed.dropFirst() : Substring(trimmed)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if trimmed.hasPrefix("+") {
            guard (8...15).contains(digits.count), digits.first != "0" else { return nil }
            if digits.hasPrefix("86") && digits.count != 13 { return nil }
            return "+" + digits
        }
        guard digits.count == 11, digits.first == "1", let second = digits.dropFirst().first,
            ("3"..."9").contains(second)
        else { return nil }
        return "+86" + digits
    }

    static func email(_ raw: String) -> String? {
        let trimmed = raw.trimmingWhitespace
        guard trimmed.utf8.count <= 254, !trimmed.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } == true })
        else { return nil }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let (local, domain) = (parts[0], parts[1])
        guard (1...64).contains(local.count), (3...253).contains(domain.count), domain.contains("."),
            !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(".."),
            domain.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." })
        else { return nil }
        return local + "@" + domain.lowercased()
    }
}

extension String {
    /// The string without leading and trailing whitespace.
    public var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
