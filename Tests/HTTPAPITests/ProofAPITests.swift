import EventSourcing
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ProofAPITests {
    @Test func proofsFromTheAPIVerify() async throws {
        let server = try await TestServer()
        try await server.test { client in
            for i in 0..<9 { _ = try await client.sendCode(to: "+86137000000\(10 + i)") }
            let head = try await client.call(.get, "/v1/log/head")
            let size = try #require(head["size"] as? Int)
            let root = try #require(MerkleHash(hex: head["root"] as? String ?? ""))
            for index in [0, 7, size - 1] {
                let reply = try await client.call(.get, "/v1/log/proofs/inclusion?index=\(index)&size=\(size)")
                #expect(reply.status == .ok)
                let path = (reply["audit_path"] as? [String] ?? []).compactMap { MerkleHash(hex: $0) }
                let leaf = try #require(MerkleHash(hex: reply["leaf_hash"] as? String ?? ""))
                #expect(reply["root"] as? String == root.hex)
                #expect(MerkleProofs.verifyInclusion(leaf: leaf, index: UInt64(index), size: UInt64(size), proof: path, root: root))
            }
            let consistency = try await client.call(.get, "/v1/log/proofs/consistency?from=5&to=\(size)")
            let first = try #require(MerkleHash(hex: consistency["first_root"] as? String ?? ""))
            let proof = (consistency["proof"] as? [String] ?? []).compactMap { MerkleHash(hex: $0) }
            #expect(first == (try await server.log.root(size: 5)))
            #expect(MerkleProofs.verifyConsistency(from: 5, to: UInt64(size), first: first, second: root, proof: proof))
        }
    }

    @Test func theSignedCheckpointVerifies() async throws {
        let server = try await TestServer()
        try await server.test { client in
            _ = try await client.sendCode()
            let reply = try await client.call(.get, "/v1/log/checkpoint")
            #expect(reply.status == .ok && reply["size"] as? Int == 2)
            let checkpoint = SignedCheckpoint(
                head: try await server.log.head(),
                publicKey: Array(try #require(Data(base64Encoded: reply["public_key"] as? String ?? ""))),
                signature: Array(try #require(Data(base64Encoded: reply["signature"] as? String ?? ""))))
            #expect(checkpoint.hasValidSignature)
            #expect(reply["root"] as? String == checkpoint.head.root.hex)
        }
    }

    @Test(arguments: [
        ("/v1/log/proofs/inclusion?index=0", "size"), ("/v1/log/proofs/inclusion?index=x&size=1", "index"),
        ("/v1/log/proofs/inclusion?index=0&size=999", "size"), ("/v1/log/proofs/inclusion?index=2&size=2", "index"),
        ("/v1/log/proofs/consistency?from=3&to=2", "from"), ("/v1/log/proofs/consistency?from=1&to=999", "to"),
    ])
    func badParametersAreA400(uri: String, field: String) async throws {
        let server = try await TestServer()
        try await server.test { client in
            _ = try await client.sendCode()
            let reply = try await client.call(.get, uri)
            #expect(reply.status == .badRequest && reply.error["field"] as? String == field, "\(uri): \(reply.json)")
        }
    }
}
