import ArgumentParser
import EventSourcing
import LMDBEventLog

struct Proof: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "RFC 6962 proofs from the log, checked before they are printed.", subcommands: [Inclusion.self, Consistency.self])

    struct Inclusion: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The audit path of leaf INDEX (position INDEX+1).")
        @Argument(help: "The data directory (or the log directory inside it).") var directory: String
        @Option(help: "0-based leaf index.") var index: UInt64
        @Option(help: "Tree size (default: the whole log).") var size: UInt64?

        func run() async throws {
            let log = try openLog(directory)
            defer { log.close() }
            let headSize = try await log.head().size
            let size = self.size ?? headSize
            let (leaf, path) = try await log.inclusionProof(index: index, size: size)
            let root = try await log.root(size: size)
            let verified = MerkleProofs.verifyInclusion(leaf: leaf, index: index, size: size, proof: path, root: root)
            printJSON(["index": index, "size": size, "leaf_hash": leaf.hex, "root": root.hex,
                       "audit_path": path.map(\.hex), "verified": verified])
            if !verified { throw ExitCode(1) }
        }
    }

    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The proof that the first FROM events are a prefix of the first TO.")
        @Argument(help: "The data directory (or the log directory inside it).") var directory: String
        @Option(help: "The smaller size.") var from: UInt64
        @Option(help: "The larger size (default: the whole log).") var to: UInt64?

        func run() async throws {
            let log = try openLog(directory)
            defer { log.close() }
            let headSize = try await log.head().size
            let to = self.to ?? headSize
            let proof = try await log.consistencyProof(from: from, to: to)
            let first = try await log.root(size: from)
            let second = try await log.root(size: to)
            let verified = MerkleProofs.verifyConsistency(from: from, to: to, first: first, second: second, proof: proof)
            printJSON(["from": from, "to": to, "first_root": first.hex, "second_root": second.hex,
                       "proof": proof.map(\.hex), "verified": verified])
            if !verified { throw ExitCode(1) }
        }
    }
}
