public import EventSourcing
public import Foundation

/// Checks a signed checkpoint (the JSON of `GET /v1/log/checkpoint` or DATA_DIR/checkpoint.json)
/// against a log: the signature holds (with the pinned key, when given), the log's root at
/// the checkpoint's size is the signed root, and a consistency proof from that size to the
/// log's head verifies — the log only grew since it was signed.
public enum CheckpointCheck {
    struct File: Decodable {
        var size: UInt64
        var root: String
        var timestamp: String?
        var publicKey: String
        var signature: String
        enum CodingKeys: String, CodingKey { case size, root, timestamp, publicKey = "public_key", signature }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses the JSON of a signed checkpoint.
    public static func parse(_ data: Data) throws -> SignedCheckpoint {
        guard let file = try? JSONDecoder().decode(File.self, from: data),
            let root = MerkleHash(hex: file.root), let key = Data(base64Encoded: file.publicKey),
            let signature = Data(base64Encoded: file.signature)
        else { throw Failure(description: "not a signed checkpoint") }
        let timestamp = try file.timestamp.map {
            guard let time = RFC3339.parse($0) else { throw Failure(description: "bad checkpoint timestamp") }
            return time
        }
        return SignedCheckpoint(
            head: LogHead(size: file.size, root: root, timestamp: timestamp), publicKey: Array(key), signature: Array(signature))
    }

    /// Throws a `Failure` saying what does not hold; returns the events appended since.
    @discardableResult
    public static func check(_ checkpoint: SignedCheckpoint, log: any EventLog, pinnedKey: [UInt8]? = nil) async throws -> UInt64 {
        guard checkpoint.hasValidSignature else { throw Failure(description: "the signature does not verify") }
        if let pinnedKey, pinnedKey != checkpoint.publicKey {
            throw Failure(description: "the checkpoint was signed with another key")
        }
        let head = try await log.head()
        guard checkpoint.head.size <= head.size else {
            throw Failure(description: "the log has \(head.size) events, fewer than the checkpoint's \(checkpoint.head.size)")
        }
        guard try await log.root(size: checkpoint.head.size) == checkpoint.head.root else {
            throw Failure(description: "the log's root at size \(checkpoint.head.size) is not the signed root")
        }
        let proof = try await log.consistencyProof(from: checkpoint.head.size, to: head.size)
        guard MerkleProofs.verifyConsistency(
            from: checkpoint.head.size, to: head.size, first: checkpoint.head.root, second: head.root, proof: proof)
        else { throw Failure(description: "the consistency proof does not verify") }
        return head.size - checkpoint.head.size
    }
}
