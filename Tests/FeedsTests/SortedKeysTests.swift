import EventFixtures
import HashTreeCollections
import Testing
@testable import Feeds

@Suite struct SortedKeysTests {
    @Test func randomChangesKeepTheOrderOfASortedArray() {
        var random = SplitMix64(seed: 11)
        var keys = SortedKeys<Int>()
        var reference = Set<Int>()
        for _ in 0..<20_000 {
            let value = Int(random.next() % 3_000)
            if random.next() % 3 == 0 {
                #expect(keys.remove(value) == (reference.remove(value) != nil))
            } else {
                #expect(keys.insert(value) == reference.insert(value).inserted)
            }
        }
        let sorted = reference.sorted()
        #expect(keys.all == sorted && keys.count == sorted.count)
        #expect(keys.chunks.allSatisfy { !$0.isEmpty && $0.count <= 2 * SortedKeys<Int>.chunkSize })
        for bound in [-1, 0, 1, 1_500, 2_999, 3_000, 5_000] {
            #expect(keys.descending(below: bound, limit: 7) == Array(sorted.filter { $0 < bound }.reversed().prefix(7)))
            var above: [Int] = []
            keys.forEachAscending(above: bound) { above.append($0); return above.count < 7 }
            #expect(above == Array(sorted.filter { $0 > bound }.prefix(7)))
        }
        #expect(keys.descending(below: nil, limit: 3) == Array(sorted.reversed().prefix(3)))
        for offset in [0, 1, 255, 256, 700, sorted.count - 1, sorted.count] {
            #expect(keys.descending(offset: offset, limit: 5) == Array(sorted.reversed().dropFirst(offset).prefix(5)))
        }
        #expect(keys.removeFirst() == sorted.first && keys.first == sorted.dropFirst().first)
    }

    @Test func aLeapfrogIntersectionFindsWhatEveryListHolds() {
        var random = SplitMix64(seed: 12)
        func list(_ modulus: UInt64) -> (SortedKeys<PostKey>, Set<PostKey>) {
            var keys = SortedKeys<PostKey>()
            var set = Set<PostKey>()
            for time in 0..<2_000 where random.next() % modulus == 0 {
                let key = PostKey(time: Int64(time), id: "p\(time)")
                keys.insert(key)
                set.insert(key)
            }
            return (keys, set)
        }
        let (a, setA) = list(2), (b, setB) = list(3), (c, setC) = list(5)
        let expected = setA.intersection(setB).intersection(setC).sorted(by: >)
        #expect(FeedsReadModel.intersect([a, b, c], below: nil, limit: 1_000) { _ in true } == expected)
        let cursor = expected[3]
        #expect(FeedsReadModel.intersect([c, a, b], below: cursor, limit: 5) { _ in true } == Array(expected.dropFirst(4).prefix(5)))
        #expect(FeedsReadModel.intersect([a, SortedKeys()], below: nil, limit: 5) { _ in true }.isEmpty)
    }
}
