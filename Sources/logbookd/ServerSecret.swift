import Logging

/// The server secret: at least 32 random bytes in a file created with mode 0600 on first
/// start. Code hashes, destination ids, sealed deliveries and stored tokens all derive
/// from it, so an existing file that cannot be read, or is too short, stops the start:
/// a new secret would silently invalidate everything derived from the old one.
enum ServerSecret {
    static let minimumBytes = 32
    static let what = "the server secret"

    /// Reads the secret at `path`, or creates one when nothing is there.
    static func load(path: String, logger: Logger) throws(SecretFileError) -> [UInt8] {
        SecretFile.removeLeftover(of: path)
        if let existing = try SecretFile.read(path, what: what) {
            guard existing.count >= minimumBytes else {
                throw SecretFileError(
                    what: what, path: path,
                    problem: "holds \(existing.count) bytes, fewer than \(minimumBytes): restore it from a backup (logbook restore)")
            }
            return existing
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<minimumBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try SecretFile.create(path, bytes: secret, what: what)
        logger.info("created the server secret", metadata: ["path": "\(path)"])
        return secret
    }
}
