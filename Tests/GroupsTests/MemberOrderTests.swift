import EventSourcing
import Testing
@testable import Groups

@Suite struct MemberOrderTests {
    /// A seeded generator, so the random operations are reproducible.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func pagesMatchASortedReferenceUnderRandomInsertsAndRemovals() {
        var random = SplitMix64(state: 7)
        var order = MemberOrder()
        var reference: [(UInt64, String)] = []
        var nextKey: UInt64 = 1
        for step in 0..<5_000 {
            if reference.isEmpty || Int.random(in: 0..<10, using: &random) < 6 {
                // Mostly at the end (joins), sometimes in the middle (a dismissed admin's place).
                let key = Int.random(in: 0..<5, using: &random) == 0 && nextKey > 2 ? UInt64.random(in: 1..<nextKey, using: &random) * 1000 + 1 : nextKey * 1000
                if !reference.contains(where: { $0.0 == key }) {
                    order.insert("v\(key)", at: key)
                    reference.append((key, "v\(key)"))
                    reference.sort { $0.0 < $1.0 }
                }
                nextKey += 1
            } else {
                let index = Int.random(in: 0..<reference.count, using: &random)
                order.remove(at: reference[index].0)
                reference.remove(at: index)
            }
            if step % 250 == 0 || step == 4_999 {
                #expect(order.count == reference.count)
                #expect(order.first == reference.first?.1)
                let rank = reference.isEmpty ? 0 : Int.random(in: 0..<reference.count, using: &random)
                #expect(order.values(from: rank, limit: 20) == Array(reference.dropFirst(rank).prefix(20).map(\.1)))
                var all: [String] = []
                order.forEach { _, value in all.append(value) }
                #expect(all == reference.map(\.1))
            }
        }
        #expect(order.values(from: order.count, limit: 5).isEmpty && order.values(from: -1, limit: 5).isEmpty)
    }

    @Test func aCopyIsUnchangedByChangesToTheOriginal() {
        var order = MemberOrder()
        for key in 1...100 { order.insert("m\(key)", at: UInt64(key)) }
        let copy = order
        order.remove(at: 1)
        order.insert("m101", at: 101)
        #expect(copy.count == 100 && copy.first == "m1" && order.first == "m2")
        #expect(copy.values(from: 99, limit: 5) == ["m100"] && order.values(from: 99, limit: 5) == ["m101"])
    }
}
