import EventSourcing
import HashTreeCollections
import Testing

@Suite struct BoxedTests {
    struct State: Hashable, Sendable {
        var name: String
        var count: Int
    }

    /// Value semantics: a copy (like the one a checkpoint takes of a model) keeps what it
    /// had when the original is mutated, and the other way round.
    @Test func aCopyKeepsItsValueWhenTheOriginalChanges() {
        var original = Boxed(State(name: "a", count: 1))
        let copy = original
        original.value.count += 1
        #expect(copy.count == 1 && original.count == 2)
        var second = copy
        second.value.name = "b"
        #expect(copy.name == "a" && second.name == "b" && original.name == "a")
        #expect(original != copy && Boxed(State(name: "a", count: 1)) == copy)
        #expect(Set([copy, Boxed(State(name: "a", count: 1))]).count == 1)
    }

    @Test func boxesInATrieCopiedWithTheTrieStayApart() {
        var live: TreeDictionary<String, Boxed<State>> = [:]
        for index in 0..<100 { live["k\(index)"] = Boxed(State(name: "k\(index)", count: 0)) }
        let checkpoint = live
        for index in 0..<100 { live["k\(index)"]?.value.count += index }
        #expect(checkpoint.values.allSatisfy { $0.count == 0 })
        #expect(live["k42"]?.count == 42 && live["k99"]?.count == 99)
    }
}
