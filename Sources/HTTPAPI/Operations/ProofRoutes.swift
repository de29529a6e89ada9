import ServerKit
import EventSourcing
import Hummingbird

/// `/v1/log/proofs/*`: RFC 6962 audit paths and consistency proofs, hex encoded, so a
/// client can check an event is in the log and that the log only ever grew.
struct ProofRoutes: Sendable {
    let log: any EventLog

    init(log: any EventLog) { self.log = log }

    struct Inclusion: Encodable {
        var index, size: UInt64
        var leafHash, root: String
        var auditPath: [String]
        enum CodingKeys: String, CodingKey {
            case index, size, root, leafHash = "leaf_hash", auditPath = "audit_path"
        }
    }

    struct Consistency: Encodable {
        var from, to: UInt64
        var firstRoot, secondRoot: String
        var proof: [String]
        enum CodingKeys: String, CodingKey {
            case from, to, proof, firstRoot = "first_root", secondRoot = "second_root"
        }
    }

    func register(on routes: RouteContext) {
        let log = self.log
        let hexList: JSONValue = ["type": "array", "items": .string]
        routes.add(
            .get, "/v1/log/proofs/inclusion",
            summary: "The audit path of leaf `index` (0-based: the event at position index+1) in the tree of `size` events.",
            responses: [
                200: ("Proof", .properties([
                    "index": .integer, "size": .integer, "leaf_hash": .string, "root": .string, "audit_path": hexList,
                ])),
                400: ("Bad index or size", nil),
            ],
            query: [
                .integer("size", description: "The tree's size: at most the log's head."),
                .integer("index", description: "The leaf, 0-based, below size."),
            ]
        ) { request, _ in
            let size = try request.queryInteger("size")
            let index = try request.queryInteger("index")
            try await Self.requireWithin(size, log: log, field: "size")
            guard index < size else { throw APIError.validation(field: "index", "index must be below size.") }
            let (leaf, path) = try await log.inclusionProof(index: index, size: size)
            let root = try await log.root(size: size)
            return StoredResponse(status: .ok, encoding: Inclusion(
                index: index, size: size, leafHash: leaf.hex, root: root.hex, auditPath: path.map(\.hex))).response
        }
        routes.add(
            .get, "/v1/log/proofs/consistency",
            summary: "The proof that the tree of `from` events is a prefix of the tree of `to` events.",
            responses: [
                200: ("Proof", .properties([
                    "from": .integer, "to": .integer, "first_root": .string, "second_root": .string, "proof": hexList,
                ])),
                400: ("Bad sizes", nil),
            ],
            query: [
                .integer("from", description: "The older tree's size, at most to."),
                .integer("to", description: "The newer tree's size: at most the log's head."),
            ]
        ) { request, _ in
            let to = try request.queryInteger("to")
            let from = try request.queryInteger("from")
            try await Self.requireWithin(to, log: log, field: "to")
            guard from <= to else { throw APIError.validation(field: "from", "from must not be past to.") }
            let proof = try await log.consistencyProof(from: from, to: to)
            return StoredResponse(status: .ok, encoding: Consistency(
                from: from, to: to, firstRoot: try await log.root(size: from).hex,
                secondRoot: try await log.root(size: to).hex, proof: proof.map(\.hex))).response
        }
    }

    static func requireWithin(_ size: UInt64, log: any EventLog, field: String) async throws {
        let head = try await log.head()
        guard size <= head.size else {
            throw APIError.validation(field: field, "\(field) must not exceed the log's size (\(head.size)).")
        }
    }
}
