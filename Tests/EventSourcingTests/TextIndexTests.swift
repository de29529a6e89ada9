import EventSourcing
import Testing

@Suite struct TextIndexTests {
    @Test func latinWordsMatchWholeAnyCaseAndCJKByCharactersAndPairs() {
        var index = TextIndex<String>()
        index.set("p1", text: "今天天气很好 Nice weather")
        index.set("p2", text: "天气预报: rain tomorrow")
        index.set("p3", text: "weathering the storm")
        #expect(index.search("天气") == ["p1", "p2"])
        #expect(index.search("天") == ["p1", "p2"])
        #expect(index.search("很好") == ["p1"])
        #expect(index.search("天气很") == ["p1"], "every pair must be there")
        #expect(index.search("WEATHER") == ["p1"], "whole words: not weathering")
        #expect(index.search("rain 天气") == ["p2"])
        #expect(index.search("snow") == [])
        #expect(index.search("  ,. ") == nil, "no token: no answer, not everything")
        index.set("p1", text: "changed")
        #expect(index.search("天气") == ["p2"])
        index.remove("p2")
        #expect(index.search("天气") == [])
        #expect(index.count == 2)
    }

    @Test func prefixesMatchTheBeginningsOfWords() {
        var index = TextIndex<String>(prefixes: true)
        index.set("m1", text: "carol_0 Carol Zero")
        index.set("m2", text: "alice 张伟明")
        #expect(index.search("car") == ["m1"])
        #expect(index.search("ZER") == ["m1"])
        #expect(index.search("arol") == [], "a prefix, not any substring")
        #expect(index.search("伟明") == ["m2"])
        #expect(index.search("明") == ["m2"])
    }
}
