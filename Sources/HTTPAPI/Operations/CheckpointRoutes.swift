import ServerKit
public import EventSourcing
import Foundation
import Hummingbird

/// `GET /v1/log/checkpoint`: the current head, signed by the server.
public struct CheckpointRoutes: Sendable {
    let sign: @Sendable (LogHead) throws -> SignedCheckpoint
    let log: any EventLog

    init(log: any EventLog, sign: @escaping @Sendable (LogHead) throws -> SignedCheckpoint) {
        self.log = log
        self.sign = sign
    }

    /// The JSON form, also what `logbook verify --checkpoint FILE` reads.
    public struct Body: Codable, Sendable {
        public var size: UInt64
        public var root: String
        public var timestamp: String?
        public var publicKey: String
        public var signature: String
        enum CodingKeys: String, CodingKey {
            case size, root, timestamp, publicKey = "public_key", signature
        }

        public init(_ checkpoint: SignedCheckpoint) {
            size = checkpoint.head.size
            root = checkpoint.head.root.hex
            timestamp = checkpoint.head.timestamp?.rfc3339
            publicKey = Data(checkpoint.publicKey).base64EncodedString()
            signature = Data(checkpoint.signature).base64EncodedString()
        }
    }

    func register(on routes: RouteContext) {
        let (log, sign) = (self.log, self.sign)
        routes.add(
            .get, "/v1/log/checkpoint",
            summary: "The head signed with the server's Ed25519 key (base64), to check later that the log extends it.",
            responses: [200: ("Signed head", .properties([
                "size": .integer, "root": .string, "timestamp": .dateTime, "public_key": .string, "signature": .string,
            ]))]
        ) { _, _ in
            StoredResponse(status: .ok, encoding: Body(try sign(try await log.head()))).response
        }
    }
}
