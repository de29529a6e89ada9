import EventSourcing
import Testing
@testable import Verification

@Suite struct ReadModelTests {
    @Test func snapshotsRoundTripAndRebuildsReachTheSameDigest() throws {
        var world = World()
        for i in 0..<40 {
            let (decision, code) = try world.send("+86137000000\(10 + i)", at: t0.adding(seconds: Int64(i)))
            if i % 3 == 0 { _ = try world.check(decision.key, code, at: t0.adding(seconds: Int64(i) + 1)) }
            if i % 5 == 0 { world.apply(.deliveryRecorded(DeliveryRecorded(delivered: true, attempt: 1, detail: "ok")), key: decision.key, at: t0) }
        }
        let restored = try VerificationsReadModel(snapshot: world.model.snapshot())
        #expect(restored.digest == world.model.digest)
        var rebuilt = VerificationsReadModel()
        for event in world.recorded { try rebuilt.apply(event) }
        #expect(rebuilt.digest == world.model.digest)
    }

    @Test func theOutboxListsPendingDeliveriesUntilTheyAreRecorded() throws {
        var world = World()
        let (a, _) = try world.send("+8613700000001", at: t0)
        let (b, _) = try world.send("+8613700000002", at: t0.adding(seconds: 1))
        #expect(world.model.pendingDeliveries.map(\.issued.key) == [a.key, b.key])
        world.apply(.deliveryRecorded(DeliveryRecorded(delivered: true, attempt: 1, detail: "sent")), key: a.key, at: t0.adding(seconds: 2))
        world.apply(.deliveryRecorded(DeliveryRecorded(delivered: false, attempt: 1, detail: "gateway 503")), key: b.key, at: t0.adding(seconds: 2))
        #expect(world.model.pendingDeliveries.map(\.issued.key) == [b.key])
        for attempt in 2...DeliveryPolicy.maxAttempts {
            world.apply(.deliveryRecorded(DeliveryRecorded(delivered: false, attempt: attempt, detail: "gateway 503")), key: b.key, at: t0.adding(seconds: 3))
        }
        #expect(world.model.pendingDeliveries.isEmpty)
        #expect(world.model.code(b.key)?.delivery == .failed)
    }

    /// The outbox queue drops codes as their deliveries end in issue order, so reading the
    /// outbox does not walk past every code delivered since the last compaction (under
    /// load that walk took a quarter of the server's time).
    @Test func deliveredCodesLeaveTheOutboxQueueAsTheyEnd() throws {
        var world = World()
        let keys = try world.sendToNewPhones(300)
        for (i, key) in keys.enumerated() where i < 299 {
            world.apply(.deliveryRecorded(DeliveryRecorded(delivered: true, attempt: 1, detail: "sent")), key: key, at: t0.adding(seconds: 400))
        }
        #expect(world.model.pendingDeliveries.map(\.issued.key) == [keys[299]])
        #expect(world.model.queuedDeliveryKeys == 1)
    }

    /// A look for due codes examines a bounded stretch of the queue (under the model's
    /// lock, after every send): codes beyond it wait for those ahead.
    @Test func aLookForDueCodesExaminesABoundedStretch() throws {
        var world = World()
        _ = try world.sendToNewPhones(300)
        var examined = 0
        let taken = world.model.pendingDeliveries(limit: 1_000, examining: 100) { _ in examined += 1; return examined % 2 == 0 }
        #expect(examined == 100 && taken.count == 50)
        #expect(world.model.pendingDeliveries(limit: 10, examining: 100) { _ in true }.count == 10)
    }

    /// Delivered codes still queued behind a pending one (it blocks the front's clean-up) do
    /// not count toward the bound: it is on pending codes judged, so a code issued later is
    /// still reached.
    @Test func endedCodesStillQueuedDoNotCountTowardTheBound() throws {
        var world = World()
        let keys = try world.sendToNewPhones(300)
        for key in keys[1..<200] {
            world.apply(.deliveryRecorded(DeliveryRecorded(delivered: true, attempt: 1, detail: "sent")), key: key, at: t0.adding(seconds: 400))
        }
        #expect(world.model.queuedDeliveryKeys == 300, "the pending first code keeps the delivered ones queued")
        let taken = world.model.pendingDeliveries(limit: 1_000, examining: 50) { _ in true }
        #expect(taken.map(\.issued.key) == [keys[0]] + Array(keys[200..<249]))
    }

    /// The ledger's busy keys: in flight, waiting for a retry time that has not passed, or
    /// sent with the outcome unrecorded; retry times that passed are pruned in bulk.
    @Test func theLedgerTellsBusyKeysAndPrunesPassedRetries() {
        var ledger = DeliveryLedger()
        #expect(ledger.claim("a", at: t0, limit: 16) { true } == .claimed)
        #expect(ledger.claim("b", at: t0, limit: 16) { true } == .claimed)
        ledger.finish("b", at: t0, retryAfter: 2, unrecorded: nil)
        for i in 0..<200 {
            #expect(ledger.claim("old\(i)", at: t0, limit: 1_000) { true } == .claimed)
            ledger.finish("old\(i)", at: t0, retryAfter: 1, unrecorded: nil)
        }
        let later = t0.adding(seconds: 1)
        let busy = ledger.busy(at: later)
        #expect(busy.contains("a") && busy.contains("b") && !busy.contains("old0") && !busy.contains("c"))
        #expect(ledger.retryAt.count == 1, "the passed retry times were pruned")
    }

    @Test func codesArePrunedADayAfterTheyExpireByEventTime() throws {
        var world = World()
        let (old, _) = try world.send("+8613700000001", ttl: 60, at: t0)
        world.apply(.deliveryRecorded(DeliveryRecorded(delivered: true, attempt: 1, detail: "sent")), key: old.key, at: t0)
        let later = t0.adding(seconds: 2 * 86_400)
        var sent = 0
        while world.position < 4200 {
            let (decision, _) = try world.send("+86139\(String(10_000_000 + sent))", at: later.adding(seconds: Int64(sent)))
            world.apply(.deliveryRecorded(DeliveryRecorded(delivered: true, attempt: 1, detail: "sent")), key: decision.key, at: later)
            sent += 1
        }
        #expect(world.model.code(old.key) == nil)
        #expect(world.model.codes.count == sent)
    }
    /// A destination goes a day after its last send, once none of its codes is kept: one
    /// whose code is still pending delivery stays (a new send must cancel that code).
    @Test func aDestinationIsForgottenOnceIdleAndItsCodesGone() throws {
        var world = World()
        let id = { (phone: String) in secrets.destinationID(try SendDecision.validate(channel: "sms", to: phone, operation: "register", ttlSeconds: nil)) }
        _ = try world.send("+8613700000001", at: t0)  // never delivered: kept
        let (delivered, _) = try world.send("+8613700000002", at: t0.adding(seconds: 1))
        world.apply(.deliveryRecorded(DeliveryRecorded(delivered: true, attempt: 1, detail: "sent")), key: delivered.key, at: t0.adding(seconds: 1))
        for index in 0..<4 { _ = try world.send("+861390000001\(index)", at: t0.adding(seconds: 2 * 86_400 + Int64(index))) }
        #expect(world.model.destination(try id("+8613700000001")).version == 1)
        #expect(world.model.destination(try id("+8613700000002")).version == 0, "forgotten")
        #expect(world.model.destinations.count == 5)

        let restored = try VerificationsReadModel(snapshot: world.model.snapshot())
        #expect(restored.digest == world.model.digest)
        var rebuilt = VerificationsReadModel()
        for event in world.recorded { try rebuilt.apply(event) }
        #expect(rebuilt.digest == world.model.digest)
    }

    /// `logbookd --dev --test-retention-seconds` (for soaks) sets the retention: a code goes
    /// that long after it expires, by event time, and a restored projection keeps the setting.
    @Test func aConfiguredRetentionPrunesCodesThatLongAfterTheyExpire() throws {
        var world = World()
        world.model.retentionSeconds = 30
        let (old, _) = try world.send("+8613700000001", ttl: 60, at: t0)
        world.apply(.deliveryRecorded(DeliveryRecorded(delivered: true, attempt: 1, detail: "sent")), key: old.key, at: t0)
        let (kept, _) = try world.send("+8613700000002", ttl: 60, at: t0.adding(seconds: 20))
        world.apply(.deliveryRecorded(DeliveryRecorded(delivered: true, attempt: 1, detail: "sent")), key: kept.key, at: t0.adding(seconds: 20))
        // 60 s to expire + 30 s: gone at t0 + 91 s; the one sent 20 s later stays until t0 + 111 s.
        let (_, _) = try world.send("+8613700000003", ttl: 60, at: t0.adding(seconds: 91))
        #expect(world.model.code(old.key) == nil)
        #expect(world.model.code(kept.key) != nil)
        #expect(world.model.codes.count == 2)

        var rebuilt = VerificationsReadModel()
        for event in world.recorded { try rebuilt.apply(event) }
        #expect(rebuilt.code(old.key) != nil, "the default keeps an expired code a day")

        let live = LiveProjection<VerificationsReadModel> { $0.retentionSeconds = 30 }
        #expect(live.read { model, _ in model.retentionSeconds } == 30)
        try live.restore(from: Checkpoint(
            name: VerificationsReadModel.name, formatVersion: VerificationsReadModel.formatVersion, position: 0,
            snapshot: world.model.snapshot()))
        #expect(live.read { model, _ in model.retentionSeconds } == 30, "restored from a snapshot, the setting stays")
    }
}

extension World {
    /// Sends a code to each of `count` new phones, a second apart; returns their keys in order.
    mutating func sendToNewPhones(_ count: Int) throws -> [EntityID] {
        try (0..<count).map { i in try send("+86137\(10_000_000 + i)", at: t0.adding(seconds: Int64(i))).0.key }
    }
}
