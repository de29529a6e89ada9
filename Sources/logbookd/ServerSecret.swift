import Foundation
import Logging

/// The server secret: 32 random bytes in a file created with mode 0600 on first start.
/// Code hashes, destination ids and sealed deliveries all derive from it.
enum ServerSecret {
    static func load(path: String, logger: Logger) throws -> [UInt8] {
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count >= 32 else { throw ValidationError(path: path) }
            return Array(data)
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        guard FileManager.default.createFile(atPath: path, contents: Data(secret), attributes: [.posixPermissions: 0o600])
        else { throw ValidationError(path: path) }
        logger.info("created the server secret", metadata: ["path": "\(path)"])
        return secret
    }

    struct ValidationError: Error, CustomStringConvertible {
        let path: String
        var description: String { "the server secret at \(path) is missing, unreadable or shorter than 32 bytes" }
    }
}
