extension MessageLocale {
    /// The locale a request asks for: its `locale` field (400 `validation_failed` on
    /// `locale` for a language not shipped), else its `Accept-Language` header, else the
    /// default. Every route that sends a code (a send, a password reset, an email binding)
    /// chooses the same way.
    public static func requested(field: String?, acceptLanguage: String?) throws(VerificationError) -> MessageLocale {
        if let field {
            guard let locale = MessageLocale(tag: field) else {
                throw .invalid(field: "locale", reason: "locale must be zh-CN or en")
            }
            return locale
        }
        return acceptLanguage.flatMap(MessageLocale.negotiate(acceptLanguage:)) ?? .default
    }
}
