import EventSourcing
import Testing

@Suite struct KeyedLanesTests {
    /// Rounds of at most `maxRound` from the head of the lane, a solo job alone, in the
    /// order submitted; the lane closes when it is empty and the next job reopens it.
    @Test func roundsComeOffTheHeadInOrderWithSoloJobsAlone() {
        let lanes = KeyedLanes<Int>(maxRound: 3) { $0 % 10 == 4 }
        #expect(lanes.submit("a", 0))
        for job in 1..<10 { #expect(!lanes.submit("a", job)) }
        #expect(lanes.submit("b", 100))
        var rounds: [[Int]] = []
        while let round = lanes.take("a") { rounds.append(round) }
        #expect(rounds == [[0, 1, 2], [3], [4], [5, 6, 7], [8, 9]])
        #expect(lanes.take("b") == [100] && lanes.take("b") == nil)
        #expect(lanes.submit("a", 11), "the closed lane opens again")
    }

    /// A lane of thousands is taken a round at a time without losing or repeating a job.
    @Test func aLongLaneIsTakenWhole() {
        let lanes = KeyedLanes<Int>(maxRound: 64) { _ in false }
        for job in 0..<20_000 { _ = lanes.submit("hot", job) }
        var taken: [Int] = []
        while let round = lanes.take("hot") {
            #expect(round.count <= 64)
            taken += round
        }
        #expect(taken == Array(0..<20_000))
    }
}
