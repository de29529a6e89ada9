import EventSourcing
import Logging

/// The server's Ed25519 checkpoint key: 32 raw bytes in a file created 0600 on first start.
/// An existing file that cannot be read or is not exactly 32 bytes stops the start:
/// a new key would make every checkpoint auditors kept unverifiable with the pinned key.
enum SigningKey {
    static let size = 32
    static let what = "the checkpoint signing key"

    /// Reads the key at `path`, or creates one when nothing is there.
    static func load(path: String, logger: Logger) throws(SecretFileError) -> [UInt8] {
        SecretFile.removeLeftover(of: path)
        if let existing = try SecretFile.read(path, what: what) {
            guard existing.count == size else {
                throw SecretFileError(
                    what: what, path: path,
                    problem: "holds \(existing.count) bytes, not \(size): restore it from a backup (logbook restore)")
            }
            return existing
        }
        let key = SignedCheckpoint.newPrivateKey()
        try SecretFile.create(path, bytes: key, what: what)
        logger.info("created the checkpoint signing key", metadata: ["path": "\(path)"])
        return key
    }
}
