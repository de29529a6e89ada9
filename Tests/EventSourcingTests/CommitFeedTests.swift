import EventSourcing
import Testing

@Suite struct CommitFeedTests {
    func append(_ log: InMemoryEventLog, _ count: Int) async throws {
        for index in 0..<count {
            _ = try await log.append(AppendRequest(
                stream: "f-1", expected: .any,
                events: [NewEvent(type: "f.v1", payload: [UInt8(index % 256)], timestamp: Timestamp(millisecondsSince1970: 0))]))
        }
    }

    @Test func aConsumerGetsEveryEventInOrderWaitingForTheNextCommit() async throws {
        let log = InMemoryEventLog()
        try await append(log, 3)
        let feed = CommitFeed(log: log, head: 3, capacity: 100)
        #expect(try await feed.events(after: 0).map(\.position) == [1, 2, 3], "before the feed: from history")
        let waiting = Task { try await feed.events(after: 3) }
        try await Task.sleep(for: .milliseconds(20))
        try await append(log, 2)
        let woken = try await waiting.value
        #expect(woken.first?.position == 4)
        #expect(try await feed.events(after: 4).map(\.position) == [5])
        #expect(try await feed.events(after: 5, timeout: .milliseconds(30)).isEmpty, "nothing new: the timeout answers []")
        #expect(feed.head == 5)
    }

    /// The soak's memory growth: the feed kept up to twice its capacity (65,536 events, about
    /// 30 MiB) and filled for half an hour before it levelled off.
    @Test func theFeedHoldsAtMostItsCapacityAndStillServesWhatItHolds() async throws {
        let log = InMemoryEventLog()
        let feed = CommitFeed(log: log, head: 0, capacity: 10)
        for round in 1...5 {
            try await append(log, 7)
            #expect(feed.heldEvents == min(10, 7 * round), "round \(round)")
        }
        #expect(try await feed.events(after: 25, limit: 100).map(\.position) == Array(26...35), "the newest ten, from memory")
        #expect(try await feed.events(after: 3, limit: 4).map(\.position) == [4, 5, 6, 7], "older ones from history")
    }

    @Test func aConsumerFurtherBehindThanTheFeedRemembersReadsHistoryNeverAGap() async throws {
        let log = InMemoryEventLog()
        let feed = CommitFeed(log: log, head: 0, capacity: 10)
        try await append(log, 50)
        var cursor: LogPosition = 0
        var seen: [LogPosition] = []
        while cursor < 50 {
            let events = try await feed.events(after: cursor, limit: 7)
            seen += events.map(\.position)
            cursor = events.last?.position ?? cursor
        }
        #expect(seen == Array(1...50))
    }

    @Test func cancellationEndsTheWait() async throws {
        let log = InMemoryEventLog()
        let feed = CommitFeed(log: log, head: 0)
        let waiting = Task { try await feed.events(after: 0) }
        try await Task.sleep(for: .milliseconds(20))
        waiting.cancel()
        #expect(try await waiting.value.isEmpty)
    }
}
