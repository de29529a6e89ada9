import EventSourcing
import Foundation
import Logging

/// The server's Ed25519 checkpoint key: 32 raw bytes in a file created 0600 on first start.
enum SigningKey {
    static func load(path: String, logger: Logger) throws -> [UInt8] {
        if let data = FileManager.default.contents(atPath: path) { return Array(data) }
        let key = SignedCheckpoint.newPrivateKey()
        guard FileManager.default.createFile(atPath: path, contents: Data(key), attributes: [.posixPermissions: 0o600])
        else { throw ServerSecret.ValidationError(path: path) }
        logger.info("created the checkpoint signing key", metadata: ["path": "\(path)"])
        return key
    }
}
