import EventSourcing
import Foundation
@testable import LMDBEventLog
import Synchronization
import Testing

/// How a fold of the stream index is handed out to the writer's commits: in runs of
/// neighbouring streams, so each commit dirties a few neighbouring pages of `streams`.
@Suite struct StreamIndexFoldTests {
    /// Runs `body` with an index over a fresh log's databases holding `count` streams (their
    /// names in scrambled order) and those streams' entries; removes the log afterwards.
    func withIndex(streams count: Int, _ body: (StreamIndex, [StreamID: StreamEntry]) throws -> Void) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let log = try LMDBEventLog(directory: directory.path)
        defer { log.close() }
        let index = StreamIndex(databases: log.databases, expectedEntries: count)
        var changes: [StreamID: StreamEntry] = [:]
        for position in 1...count {
            let stream = try #require(StreamID("sample-\((position &* 2_654_435_761) % 1_000_003)-\(position)"))
            changes[stream] = StreamEntry(version: 1, lastPosition: LogPosition(position))
        }
        index.adopt(changes, through: LogPosition(count))
        try body(index, changes)
    }

    /// Takes chunks as the writer does (each `wrote` after its commit) until the fold completes.
    func drain(_ index: StreamIndex, limit: Int, first: StreamIndex.FoldChunk?) -> (chunks: [[StreamID]], completes: LogPosition?) {
        var chunks: [[StreamID]] = []
        var chunk = first
        var waited = 0
        while waited < 5_000 {
            guard let current = chunk else {
                // A large fold is still being sorted off the writer: later commits wait for it.
                Thread.sleep(forTimeInterval: 0.001)
                waited += 1
                chunk = index.nextFoldChunk(incoming: 0, interval: 1, limit: limit)
                continue
            }
            chunks.append(current.entries.map(\.0))
            index.wrote(current)
            if let completes = current.completes { return (chunks, completes) }
            chunk = index.nextFoldChunk(incoming: 0, interval: 1, limit: limit)
        }
        return (chunks, nil)
    }

    func inKeyOrder(_ streams: [StreamID]) -> Bool { zip(streams, streams.dropFirst()).allSatisfy { $0 < $1 } }

    @Test func aFoldIsHandedOutInRunsOfNeighbouringStreams() throws {
        try withIndex(streams: 200) { index, changes in
            // 200 entries, 64 a commit: small enough to be sorted at once, on the writer.
            let first = index.nextFoldChunk(incoming: 0, interval: 100, limit: 64)
            #expect(first != nil, "a fold of a few chunks starts in the commit that reaches the interval")
            let (chunks, completes) = drain(index, limit: 64, first: first)
            #expect(completes == 200)
            #expect(chunks.map(\.count) == [64, 64, 64, 8])
            // Taken together, the chunks are the whole overlay in key order: each one a run of
            // neighbouring streams (sorted chunk by chunk, every chunk spanned the key space).
            #expect(inKeyOrder(chunks.flatMap { $0 }))
            #expect(Set(chunks.flatMap { $0 }) == Set(changes.keys))
            #expect(index.overlay.withLock { $0.entries.isEmpty && $0.persistedThrough == 200 && $0.fold == nil })
        }
    }

    @Test func aLargeFoldIsSortedOffTheWriterThenHandedOutInOrder() throws {
        try withIndex(streams: 5_000) { index, changes in
            // 5,000 entries, 64 a commit: the commit that starts the fold writes no chunk.
            let first = index.nextFoldChunk(incoming: 0, interval: 100, limit: 64)
            #expect(first == nil)
            let (chunks, completes) = drain(index, limit: 64, first: first)
            #expect(completes == 5_000)
            #expect(chunks.dropLast().allSatisfy { $0.count == 64 })
            #expect(inKeyOrder(chunks.flatMap { $0 }))
            #expect(Set(chunks.flatMap { $0 }) == Set(changes.keys))
            #expect(index.overlay.withLock { $0.entries.isEmpty && $0.persistedThrough == 5_000 && $0.fold == nil })
        }
    }

    @Test func aChunkIsHandedOutAgainUntilItsCommitSucceedsAndOnlyOnce() throws {
        try withIndex(streams: 100) { index, _ in
            // The writer retries a commit that failed with the chunk it was given: the same one.
            let first = try #require(index.nextFoldChunk(incoming: 0, interval: 100, limit: 30))
            let retried = try #require(index.nextFoldChunk(incoming: 0, interval: 100, limit: 30))
            #expect(retried.start == first.start && retried.entries.map(\.0) == first.entries.map(\.0))
            index.wrote(first)
            let second = try #require(index.nextFoldChunk(incoming: 0, interval: 100, limit: 30))
            #expect(second.start == 30)
            // A chunk written twice (or one of another fold) moves nothing.
            index.wrote(first)
            #expect(index.overlay.withLock { $0.fold?.next } == 30)
            index.wrote(second)
            #expect(index.overlay.withLock { $0.fold?.next } == 60)
            // The written chunks' entries left the overlay; the rest wait for theirs.
            #expect(index.overlay.withLock { $0.entries.count } == 40)
        }
    }

    @Test func entriesChangedDuringAFoldStayInTheOverlay() throws {
        try withIndex(streams: 100) { index, changes in
            let first = index.nextFoldChunk(incoming: 0, interval: 100, limit: 30)
            let moved = try #require(changes.keys.sorted().last)
            index.adopt([moved: StreamEntry(version: 2, lastPosition: 101)], through: 101)
            let (_, completes) = drain(index, limit: 30, first: first)
            #expect(completes == 100)
            let left = index.overlay.withLock { $0.entries }
            #expect(left == [moved: StreamEntry(version: 2, lastPosition: 101)])
        }
    }
}
