/// The text of a code's message, per operation and locale (`zh-CN` and `en`).
///
/// The operations the server itself sends codes for (`register`, `login`,
/// `bind_email`, `reset_password`) have their own wording; any other operation gets the
/// general one. The text is rendered when the send is decided, from the decision's own
/// inputs (never the wall clock), and sealed with the code into the `code-issued` event:
/// neither the code nor the text that holds it is ever stored in the clear.
///
/// ```swift
/// MessageTemplates.body(operation: "login", channel: .sms, code: "042917", ttlSeconds: 300, locale: .en)
/// // "Logbook: your sign-in code is 042917. It expires in 5 minutes. Never share it with anyone."
/// ```
public enum MessageTemplates {
    /// `{code}` and `{expiry}` are filled in; the key `*` is the general wording.
    static let texts: [MessageLocale: [String: String]] = [
        .zhCN: [
            "register": "【Logbook】验证码{code}，您正在注册Logbook账号，{expiry}内有效。如非本人操作，请忽略本消息。",
            "login": "【Logbook】验证码{code}，您正在登录Logbook，{expiry}内有效。请勿将验证码告诉他人。",
            "bind_email": "【Logbook】验证码{code}，您正在绑定邮箱，{expiry}内有效。如非本人操作，请忽略本消息。",
            "reset_password": "【Logbook】验证码{code}，您正在重置密码，{expiry}内有效。请勿将验证码告诉他人。",
            "*": "【Logbook】您的验证码是{code}，{expiry}内有效。请勿将验证码告诉他人。",
        ],
        .en: [
            "register": "Logbook: your code to create an account is {code}. It expires in {expiry}. If this wasn't you, ignore this message.",
            "login": "Logbook: your sign-in code is {code}. It expires in {expiry}. Never share it with anyone.",
            "bind_email": "Logbook: your code to add this email address is {code}. It expires in {expiry}. If this wasn't you, ignore this message.",
            "reset_password": "Logbook: your password reset code is {code}. It expires in {expiry}. Never share it with anyone.",
            "*": "Logbook: your verification code is {code}. It expires in {expiry}. Never share it with anyone.",
        ],
    ]

    /// The message for `code` of `operation` in `locale`. A voice call spells the code
    /// digit by digit; the expiry is whole minutes, rounded down (at least one).
    public static func body(
        operation: String, channel: Destination.Channel, code: String, ttlSeconds: Int64, locale: MessageLocale
    ) -> String {
        let table = texts[locale] ?? [:]
        let template = table[operation] ?? table["*"] ?? "{code}"
        let spoken = channel == .call ? code.map(String.init).joined(separator: " ") : code
        return template
            .replacingAll("{code}", with: spoken)
            .replacingAll("{expiry}", with: expiry(minutes: max(1, ttlSeconds / 60), locale: locale))
    }

    static func expiry(minutes: Int64, locale: MessageLocale) -> String {
        switch locale {
        case .zhCN: return "\(minutes)分钟"
        case .en: return minutes == 1 ? "1 minute" : "\(minutes) minutes"
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation-free), matched on UTF-8 bytes: a
    /// valid UTF-8 pattern can only match whole characters' bytes, and this is called for
    /// every code sent (`firstRange(of:)` over characters took 4% of a send).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let text = Array(utf8), pattern = Array(target.utf8)
        guard !pattern.isEmpty, text.count >= pattern.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(text.count + replacement.utf8.count)
        var index = 0
        while index < text.count {
            if text.count - index >= pattern.count, text[index..<index + pattern.count].elementsEqual(pattern) {
                out.append(contentsOf: replacement.utf8)
                index += pattern.count
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
