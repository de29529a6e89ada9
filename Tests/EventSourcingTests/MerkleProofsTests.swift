import Crypto
import EventFixtures
import EventSourcing
import Testing

/// RFC 6962 section 2.1.1 PATH(m, D[n]) and 2.1.2 PROOF(m, D[n]), straight from the text.
enum Reference {
    static func k(_ n: Int) -> Int { var k = 1; while k * 2 < n { k *= 2 }; return k }

    static func path(_ m: Int, _ d: ArraySlice<[UInt8]>) -> [[UInt8]] {
        let n = d.count
        if n == 1 { return [] }
        let k = k(n), lo = d.startIndex
        if m < k { return path(m, d[lo..<lo + k]) + [referenceMTH(d[(lo + k)...])] }
        return path(m - k, d[(lo + k)...]) + [referenceMTH(d[lo..<lo + k])]
    }

    static func proof(_ m: Int, _ d: ArraySlice<[UInt8]>) -> [[UInt8]] { subproof(m, d, true) }

    static func subproof(_ m: Int, _ d: ArraySlice<[UInt8]>, _ b: Bool) -> [[UInt8]] {
        let n = d.count, lo = d.startIndex
        if m == n { return b ? [] : [referenceMTH(d)] }
        let k = k(n)
        if m <= k { return subproof(m, d[lo..<lo + k], b) + [referenceMTH(d[(lo + k)...])] }
        return subproof(m - k, d[(lo + k)...], false) + [referenceMTH(d[lo..<lo + k])]
    }
}

@Suite struct MerkleProofsTests {
    let data: [[UInt8]] = (0..<40).map { Array("leaf \($0)".utf8) }
    var source: LeafHashes { LeafHashes(data.map { MerkleHash.leaf($0) }) }

    @Test func auditPathsMatchRFC6962AndVerify() throws {
        for n in 1...data.count {
            let root = try #require(MerkleHash(bytes: referenceMTH(data[0..<n])))
            for m in 0..<n {
                let proof = try MerkleProofs.inclusion(index: UInt64(m), size: UInt64(n), source: source)
                #expect(proof.map(\.bytes) == Reference.path(m, data[0..<n]), "PATH(\(m), D[\(n)])")
                #expect(MerkleProofs.verifyInclusion(leaf: .leaf(data[m]), index: UInt64(m), size: UInt64(n), proof: proof, root: root))
                #expect(!MerkleProofs.verifyInclusion(leaf: .leaf(data[(m + 1) % n] + [1]), index: UInt64(m), size: UInt64(n), proof: proof, root: root))
                if !proof.isEmpty {
                    var tampered = proof
                    tampered[0] = .leaf([9])
                    #expect(!MerkleProofs.verifyInclusion(leaf: .leaf(data[m]), index: UInt64(m), size: UInt64(n), proof: tampered, root: root))
                }
            }
        }
    }

    @Test func consistencyProofsMatchRFC6962AndVerify() throws {
        for n in 1...data.count {
            let second = try #require(MerkleHash(bytes: referenceMTH(data[0..<n])))
            for m in 1...n {
                let first = try #require(MerkleHash(bytes: referenceMTH(data[0..<m])))
                let proof = try MerkleProofs.consistency(from: UInt64(m), to: UInt64(n), source: source)
                #expect(proof.map(\.bytes) == (m == n ? [] : Reference.proof(m, data[0..<n])), "PROOF(\(m), D[\(n)])")
                #expect(MerkleProofs.verifyConsistency(from: UInt64(m), to: UInt64(n), first: first, second: second, proof: proof))
                if m < n {
                    #expect(!MerkleProofs.verifyConsistency(from: UInt64(m), to: UInt64(n), first: .leaf([7]), second: second, proof: proof))
                }
            }
        }
    }

    @Test func rangesHashLikeTheRecursiveDefinition() throws {
        for start in 0..<12 {
            for end in start...data.count {
                #expect(try MerkleProofs.hash(UInt64(start), UInt64(end), source).bytes == referenceMTH(data[start..<end]))
            }
        }
    }

    @Test func outOfRangeRequestsThrow() {
        #expect(throws: MerkleProofError.outOfRange) { try MerkleProofs.inclusion(index: 5, size: 5, source: source) }
        #expect(throws: MerkleProofError.outOfRange) { try MerkleProofs.consistency(from: 6, to: 5, source: source) }
    }
}
