/// The key webhooks are signed with: from `--webhook-secret-file PATH` or, without that
/// flag, the `LOGBOOK_WEBHOOK_SECRET` environment variable; never a command-line value,
/// which any user could read in `ps`. The file's content (or the variable's value) is the
/// key as text, surrounding white space and the final newline removed, at least 32 bytes
/// (`openssl rand -hex 32` makes one). The receiver uses the same text as its HMAC key.
enum WebhookSecret {
    static let minimumBytes = 32
    static let environmentVariable = "LOGBOOK_WEBHOOK_SECRET"
    static let what = "the webhook signing secret"

    /// The secret, or nil when neither source is given. A file that is absent, unreadable
    /// or too short, or a variable that is too short, stops the start.
    static func load(file: String?, environment: [String: String]) throws(SecretFileError) -> [UInt8]? {
        let bytes: [UInt8]
        let origin: String
        if let file {
            guard let content = try SecretFile.read(file, what: what) else {
                throw SecretFileError(what: what, path: file, problem: "does not exist")
            }
            (bytes, origin) = (trimmed(content), file)
        } else if let value = environment[environmentVariable], !value.isEmpty {
            (bytes, origin) = (trimmed(Array(value.utf8)), "$\(environmentVariable)")
        } else {
            return nil
        }
        guard bytes.count >= minimumBytes else {
            throw SecretFileError(
                what: what, path: origin, problem: "holds \(bytes.count) bytes, fewer than \(minimumBytes) (try `openssl rand -hex 32`)")
        }
        return bytes
    }

    /// Without leading and trailing spaces, tabs, carriage returns and newlines.
    static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        let blank: Set<UInt8> = [0x20, 0x09, 0x0D, 0x0A]
        guard let first = bytes.firstIndex(where: { !blank.contains($0) }),
            let last = bytes.lastIndex(where: { !blank.contains($0) })
        else { return [] }
        return Array(bytes[first...last])
    }
}
