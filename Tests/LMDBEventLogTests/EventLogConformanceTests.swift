import EventSourcing
import Synchronization
import Testing

/// The `EventLog` contract, checked against every log (see the protocol's documentation).
/// A time `seconds` after a fixed origin.
func at(_ seconds: Int64) -> Timestamp { Timestamp(millisecondsSince1970: 1_795_000_000_000 + seconds * 1000) }

@Suite struct EventLogConformanceTests {
    @Test(arguments: LogKind.allCases)
    func positionsAreGaplessFromOneInCommitOrder(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            try await log.append("a-1", .noStream, [event(), event()])
            try await log.append("b-1", .noStream, [event()])
            try await log.append("a-1", .exactly(2), [event()])
            let all = try await log.all()
            #expect(all.map(\.position) == [1, 2, 3, 4])
            #expect(all.map(\.stream) == ["a-1", "a-1", "b-1", "a-1"])
            #expect(all.map(\.version) == [1, 2, 1, 3])
            #expect(try await log.head().size == 4)
        }
    }

    @Test(arguments: LogKind.allCases)
    func eventsComeBackAsTheyWereAppended(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            let original = NewEvent(
                type: "member.registered.v1", payload: [0, 1, 2, 255], timestamp: Timestamp(millisecondsSince1970: 42),
                metadata: EventMetadata(correlationID: "r", causationID: "c", actor: "admin", idempotencyKey: "k"))
            let recorded = try await log.append("member-1", .noStream, [original])
            let read = try await log.read(from: 1, limit: 1)
            #expect(read == recorded)
            #expect(read.first?.payload == original.payload)
            #expect(read.first?.metadata == original.metadata)
            #expect(read.first?.timestamp == original.timestamp)
        }
    }

    @Test(arguments: LogKind.allCases)
    func streamsReadInVersionOrderFromAnyVersion(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            for i in 0..<10 {
                try await log.append("s-1", .any, [event("t.v1", "s1-\(i)")])
                try await log.append("s-2", .any, [event("t.v1", "s2-\(i)")])
            }
            let tail = try await log.readStream("s-1", from: 8, limit: 100)
            #expect(tail.map(\.version) == [8, 9, 10])
            #expect(tail.map { String(decoding: $0.payload, as: UTF8.self) } == ["s1-7", "s1-8", "s1-9"])
            #expect(try await log.readStream("s-2", from: 1, limit: 2).map(\.version) == [1, 2])
            #expect(try await log.readStream("missing-1", from: 1, limit: 5).isEmpty)
            #expect(try await log.version(of: "s-2") == 10)
            #expect(try await log.version(of: "missing-1") == 0)
        }
    }

    @Test(arguments: LogKind.allCases)
    func anyWindowOfALongInterleavedStreamReadsInOrder(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            for i in 1...300 {
                let others = AppendRequest([
                    StreamAppend(stream: "long-1", expected: .exactly(UInt64(i - 1)), events: [event("t.v1", "\(i)")]),
                    StreamAppend(stream: StreamID("other-\(i % 7)")!, expected: .any, events: [event(), event()]),
                ])
                _ = try await log.append(others)
            }
            for (from, limit) in [(1, 5), (150, 20), (295, 100), (300, 1), (301, 5)] as [(UInt64, Int)] {
                let window = try await log.readStream("long-1", from: from, limit: limit)
                let expected = from > 300 ? [] : Array(from...min(300, from + UInt64(limit) - 1))
                #expect(window.map(\.version) == expected)
                #expect(window.map { String(decoding: $0.payload, as: UTF8.self) } == expected.map { "\($0)" })
            }
        }
    }

    @Test(arguments: LogKind.allCases)
    func expectedVersionConflictsAreTypedAndLeaveNoTrace(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            try await log.append("a-1", .noStream, [event()])
            let before = try await log.head()
            for expected: ExpectedVersion in [.noStream, .exactly(0), .exactly(2)] {
                let error = await #expect(throws: EventLogError.self) { try await log.append("a-1", expected, [event()]) }
                #expect(error?.code == .wrongExpectedVersion)
                #expect(error?.actual == 1)
            }
            await #expect(throws: EventLogError.self) { try await log.append("b-1", .streamExists, [event()]) }
            #expect(try await log.head() == before)
            #expect(try await log.append("b-1", .noStream, [event()]).first?.position == 2)
        }
    }

    @Test(arguments: LogKind.allCases)
    func multiStreamAppendsAreAllOrNothing(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            try await log.append("username-ann", .noStream, [event()])
            let taken = AppendRequest([
                StreamAppend(stream: "member-2", expected: .noStream, events: [event("member.registered.v1")]),
                StreamAppend(stream: "username-ann", expected: .noStream, events: [event("username.claimed.v1")]),
            ])
            await #expect(throws: EventLogError.self) { try await log.append(taken) }
            #expect(try await log.version(of: "member-2") == 0)
            #expect(try await log.head().size == 1)
            let free = AppendRequest([
                StreamAppend(stream: "member-3", expected: .noStream, events: [event(), event()]),
                StreamAppend(stream: "username-bob", expected: .noStream, events: [event()]),
            ])
            let recorded = try await log.append(free).events
            #expect(recorded.map(\.position) == [2, 3, 4])
            #expect(recorded.map(\.stream) == ["member-3", "member-3", "username-bob"])
        }
    }

    @Test(arguments: LogKind.allCases)
    func aStreamNamedTwiceInOneRequestIsCheckedAgainstItsRunningVersion(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            try await log.append("twice-1", .noStream, [event()])
            let good = AppendRequest([
                StreamAppend(stream: "twice-1", expected: .exactly(1), events: [event(), event()]),
                StreamAppend(stream: "other-1", expected: .noStream, events: [event()]),
                StreamAppend(stream: "twice-1", expected: .exactly(3), events: [event()]),
            ])
            let recorded = try await log.append(good).events
            #expect(recorded.map(\.version) == [2, 3, 1, 4])
            let stale = AppendRequest([
                StreamAppend(stream: "twice-1", expected: .exactly(4), events: [event()]),
                StreamAppend(stream: "twice-1", expected: .exactly(4), events: [event()]),
            ])
            let error = await #expect(throws: EventLogError.self) { try await log.append(stale) }
            #expect(error?.actual == 5)
            #expect(try await log.version(of: "twice-1") == 4)
            #expect(try await log.readStream("twice-1", from: 1, limit: 10).map(\.position) == [1, 2, 3, 5])
        }
    }

    @Test(arguments: LogKind.allCases)
    func concurrentWritersOfOneStreamNeverBothWin(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            let wins = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<32 {
                    group.addTask { (try? await log.append("counter-1", .exactly(0), [event("t.v1", "\(i)")])) != nil }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            #expect(try await log.version(of: "counter-1") == 1)
        }
    }

    @Test(arguments: LogKind.allCases)
    func idempotentRetriesReturnTheStoredResultAndAppendNothing(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            let request = AppendRequest(
                stream: "v-1", expected: .any, events: [event()],
                idempotency: IdempotencyRecord(key: "POST /v1/x|key-1", result: Array("first".utf8), storedAt: at(0)))
            guard case .appended = try await log.append(request) else { Issue.record("first append"); return }
            var retry = request
            retry.idempotency?.result = Array("second".utf8)
            #expect(try await log.append(retry) == .duplicate(storedResult: Array("first".utf8)))
            #expect(try await log.head().size == 1)
            #expect(try await log.storedResult(forIdempotencyKey: "POST /v1/x|key-1") == Array("first".utf8))
            #expect(try await log.storedResult(forIdempotencyKey: "other") == nil)
        }
    }

    @Test(arguments: LogKind.allCases)
    func idempotencyKeysArePrunedOldestFirstAndOnlyBeforeTheCutoff(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            for (index, key) in ["a", "b", "c", "d"].enumerated() {
                _ = try await log.append(AppendRequest(
                    stream: StreamID("p-\(key)") ?? "p-x", expected: .any, events: [event()],
                    idempotency: IdempotencyRecord(key: key, result: [UInt8(index)], storedAt: at(Int64(index) * 100))))
            }
            #expect(try await log.pruneIdempotencyKeys(storedBefore: at(250), limit: 2) == 2)
            #expect(try await log.storedResult(forIdempotencyKey: "a") == nil)
            #expect(try await log.storedResult(forIdempotencyKey: "b") == nil)
            #expect(try await log.storedResult(forIdempotencyKey: "c") == [2], "the limit held")
            #expect(try await log.pruneIdempotencyKeys(storedBefore: at(250), limit: 10) == 1)
            #expect(try await log.pruneIdempotencyKeys(storedBefore: at(250), limit: 10) == 0)
            #expect(try await log.storedResult(forIdempotencyKey: "d") == [3], "stored after the cutoff")
            #expect(try await log.pruneIdempotencyKeys(storedBefore: at(1000), limit: 10) == 1)
            #expect(try await log.storedResult(forIdempotencyKey: "d") == nil)
            // A pruned key is free again; the events stay.
            let again = try await log.append(AppendRequest(
                stream: "p-a", expected: .any, events: [event()], idempotency: IdempotencyRecord(key: "a", result: [9], storedAt: at(2000))))
            #expect(again.events.count == 1)
            #expect(try await log.head().size == 5)
        }
    }

    @Test(arguments: LogKind.allCases)
    func concurrentRetriesWithOneKeyAppendOnce(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            let request = AppendRequest(
                stream: "v-2", expected: .any, events: [event()], idempotency: IdempotencyRecord(key: "k", result: [1], storedAt: at(0)))
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<16 { group.addTask { _ = try? await log.append(request) } }
            }
            #expect(try await log.head().size == 1)
        }
    }

    @Test(arguments: LogKind.allCases)
    func observersSeeEveryCommitInOrderBeforeTheAppendReturns(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            let seen = Mutex<[LogPosition]>([])
            log.observeCommits { batch in seen.withLock { $0.append(contentsOf: batch.map(\.position)) } }
            for i in 0..<20 {
                let recorded = try await log.append(StreamID("o-\(i % 3)")!, .any, [event(), event()])
                #expect(seen.withLock { $0.last } == recorded.last?.position)
            }
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<40 { group.addTask { _ = try? await log.append(StreamID("p-\(i)")!, .any, [event()]) } }
            }
            #expect(seen.withLock { $0 } == Array(1...80))
        }
    }

    @Test(arguments: LogKind.allCases)
    func headRootChangesWithEveryAppendAndIsStableForAPrefix(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            #expect(try await log.head() == .empty)
            var roots: Set<MerkleHash> = [MerkleHash.empty]
            for i in 0..<5 {
                try await log.append("h-1", .any, [event("t.v1", "\(i)", at: 1000 + Int64(i))])
                let head = try await log.head()
                #expect(roots.insert(head.root).inserted)
                #expect(head.timestamp?.millisecondsSince1970 == 1000 + Int64(i))
            }
        }
    }

    @Test(arguments: LogKind.allCases)
    func invalidRequestsAreRefusedBeforeAnythingIsWritten(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            let error = await #expect(throws: EventLogError.self) { try await log.append("a-1", .any, [event("")]) }
            #expect(error?.code == .invalidRequest)
            let longKey = AppendRequest(
                stream: "a-1", expected: .any, events: [event()],
                idempotency: IdempotencyRecord(key: String(repeating: "k", count: 1000), result: [], storedAt: at(0)))
            await #expect(throws: EventLogError.self) { try await log.append(longKey) }
            #expect(try await log.head().size == 0)
        }
    }

    @Test(arguments: LogKind.allCases)
    func inclusionAndConsistencyProofsVerifyAgainstTheRoots(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            var roots: [UInt64: MerkleHash] = [:]
            for batch in 1...12 {
                try await log.append(StreamID("p-\(batch % 3)")!, .any, (0..<batch).map { event("t.v1", "\(batch)-\($0)") })
                let head = try await log.head()
                roots[head.size] = head.root
            }
            let size = try await log.head().size  // 78
            #expect(try await log.root(size: size) == roots[size])
            for (earlier, root) in roots {
                #expect(try await log.root(size: earlier) == root, "root of the first \(earlier)")
                let proof = try await log.consistencyProof(from: earlier, to: size)
                #expect(MerkleProofs.verifyConsistency(from: earlier, to: size, first: root, second: roots[size]!, proof: proof))
            }
            for checkedSize in [1, 15, 16, 17, 36, 64, 78] as [UInt64] {
                let root = try await log.root(size: checkedSize)
                for index in Set([0, checkedSize / 2, checkedSize - 1]) {
                    let (leaf, path) = try await log.inclusionProof(index: index, size: checkedSize)
                    #expect(MerkleProofs.verifyInclusion(leaf: leaf, index: index, size: checkedSize, proof: path, root: root),
                            "leaf \(index) of \(checkedSize)")
                }
            }
            await #expect(throws: EventLogError.self) { try await log.inclusionProof(index: 0, size: size + 1) }
            await #expect(throws: EventLogError.self) { try await log.inclusionProof(index: 5, size: 5) }
            await #expect(throws: EventLogError.self) { try await log.consistencyProof(from: 10, to: 5) }
        }
    }

    @Test(arguments: LogKind.allCases)
    func checkpointsAreSavedAndReplaced(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            #expect(try await log.loadCheckpoint(named: "m") == nil)
            try await log.append("a-1", .any, (1...20).map { _ in event() })
            let first = Checkpoint(name: "m", formatVersion: 1, position: 10, snapshot: Array(repeating: 7, count: 5000))
            try await log.saveCheckpoint(first)
            #expect(try await log.loadCheckpoint(named: "m") == first)
            let second = Checkpoint(name: "m", formatVersion: 2, position: 20, snapshot: [])
            try await log.saveCheckpoint(second)
            #expect(try await log.loadCheckpoint(named: "m") == second)
        }
    }

    /// Saves finish out of order (a periodic save still encoding when shutdown saves
    /// again): the older one, landing last, must not replace the newer.
    @Test(arguments: LogKind.allCases)
    func anOlderCheckpointLandingLastDoesNotReplaceANewerOne(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            try await log.append("a-1", .any, (1...20).map { _ in event() })
            let newer = Checkpoint(name: "m", formatVersion: 1, position: 20, snapshot: [2])
            try await log.saveCheckpoint(newer)
            try await log.saveCheckpoint(Checkpoint(name: "m", formatVersion: 1, position: 10, snapshot: [1]))
            #expect(try await log.loadCheckpoint(named: "m") == newer)
            try await log.saveCheckpoint(Checkpoint(name: "other", formatVersion: 1, position: 10, snapshot: [3]))
            #expect(try await log.loadCheckpoint(named: "other")?.position == 10)
        }
    }

    @Test(arguments: LogKind.allCases)
    func aCheckpointPastTheHeadIsRefused(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            try await log.append("a-1", .any, [event(), event(), event()])
            await #expect(throws: EventLogError.self) {
                try await log.saveCheckpoint(Checkpoint(name: "m", formatVersion: 1, position: 4, snapshot: [1]))
            }
            #expect(try await log.loadCheckpoint(named: "m") == nil)
            try await log.append("a-1", .any, [event()])
            try await log.saveCheckpoint(Checkpoint(name: "m", formatVersion: 1, position: 4, snapshot: [1]))
            #expect(try await log.loadCheckpoint(named: "m")?.position == 4)
        }
    }

    @Test(arguments: LogKind.allCases)
    func eventsAreReadAtTheirPositionsInTheOrderGiven(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            try await log.append("a-1", .any, (1...6).map { _ in event() })
            try await log.append("b-1", .any, (1...4).map { _ in event() })
            let all = try await log.read(from: 1, limit: 10)
            let read = try await log.read(positions: [7, 2, 0, 99, 2, 10])
            #expect(read == [all[6], all[1], all[1], all[9]])
            #expect(read.map(\.stream.rawValue) == ["b-1", "a-1", "a-1", "b-1"])
            #expect(try await log.read(positions: []).isEmpty)
        }
    }

    @Test(arguments: LogKind.allCases)
    func readsPastTheEndAreEmpty(kind: LogKind) async throws {
        try await kind.withLog { (log: any EventLog) async throws in
            try await log.append("a-1", .any, [event(), event(), event()])
            #expect(try await log.read(from: 4, limit: 10).isEmpty)
            #expect(try await log.read(from: 2, limit: 1).map(\.position) == [2])
            #expect(try await log.read(from: 0, limit: 10).count == 3)
            #expect(try await log.read(from: 1, limit: 0).isEmpty)
        }
    }
}
