import EventFixtures
import EventSourcing
import Testing

@Suite struct MerkleFrontierTests {
    let leaves: [[UInt8]] = (0..<70).map { Array("record \($0)".utf8) }

    @Test func emptyTreeHashesNothing() {
        #expect(MerkleFrontier().root.bytes == referenceMTH([]))
        #expect(MerkleHash.empty.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func rootMatchesTheRecursiveDefinitionAtEverySize() {
        var frontier = MerkleFrontier()
        for size in 1...leaves.count {
            frontier.append(.leaf(leaves[size - 1]))
            #expect(frontier.root.bytes == referenceMTH(leaves[0..<size]), "size \(size)")
            #expect(frontier.subtrees.count == UInt64(size).nonzeroBitCount)
        }
    }

    @Test func completedNodesAreTheSubtreeHashes() {
        var frontier = MerkleFrontier()
        var completed: [(Int, UInt64, MerkleHash)] = []
        for leaf in leaves {
            frontier.append(.leaf(leaf)) { completed.append(($0, $1, $2)) }
        }
        // Every complete aligned subtree is reported exactly once.
        #expect(completed.count == 70 + 35 + 17 + 8 + 4 + 2 + 1)
        for (level, index, hash) in completed {
            let start = Int(index) << level
            #expect(hash.bytes == referenceMTH(leaves[start..<start + (1 << level)]))
        }
    }

    @Test func frontierRestoresFromItsSubtrees() {
        var frontier = MerkleFrontier()
        for leaf in leaves.prefix(45) { frontier.append(.leaf(leaf)) }
        let restored = MerkleFrontier(size: 45, subtrees: frontier.subtrees)
        #expect(restored == frontier)
        #expect(MerkleFrontier(size: 44, subtrees: frontier.subtrees) == nil)  // 44 has three set bits, not four
    }

    @Test func hashesRoundTripThroughHex() throws {
        let hash = MerkleHash.leaf(leaves[3])
        #expect(MerkleHash(hex: hash.hex) == hash)
        #expect(MerkleHash(hex: "zz") == nil)
        #expect(MerkleHash(bytes: [1, 2, 3]) == nil)
    }
}
