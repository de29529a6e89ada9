import EventSourcing
import Synchronization
import Testing
import Verification

/// A sender that fails until told otherwise, and remembers what it sent.
final class FlakySender: Sender {
    let failing = Mutex(true)
    let sent = Mutex<[DeliveryMessage]>([])
    struct Down: Error {}

    func send(_ message: DeliveryMessage) async throws {
        if failing.withLock({ $0 }) { throw Down() }
        sent.withLock { $0.append(message) }
    }
}

final class ManualClock: Sendable {
    private let current = Mutex(t0)
    var now: Timestamp { current.withLock { $0 } }
    func advance(_ seconds: Int64) { current.withLock { $0 = $0.adding(seconds: seconds) } }
}

@Suite struct DeliveryWorkerTests {
    struct Setup {
        let log = InMemoryEventLog()
        let clock = ManualClock()
        let codes = LiveProjection<VerificationsReadModel>()
        let sender = FlakySender()
        let service: VerificationService
        let worker: DeliveryWorker

        init() async throws {
            let clock = self.clock
            try await ProjectionRuntime(log: log, projections: [codes]).start()
            service = VerificationService(log: log, codes: codes, secrets: secrets, limits: .init(), clock: { clock.now })
            worker = DeliveryWorker(
                log: log, codes: codes, secrets: secrets, senders: [.sms: sender], clock: { clock.now })
        }
    }

    @Test func failuresAreRecordedRetriedWithBackoffAndThenDelivered() async throws {
        let setup = try await Setup()
        guard case .done(let sent) = try await setup.service.send(channel: "sms", to: "+8613712345678", operation: "x", ttlSeconds: nil)
        else { Issue.record("send"); return }
        #expect(await setup.worker.deliverDue() == 1)
        #expect(setup.codes.read { model, _ in model.code(sent.key)?.delivery } == .pending(attempts: 1))
        #expect(await setup.worker.deliverDue() == 0, "the next attempt waits 2 seconds")
        setup.clock.advance(2)
        setup.sender.failing.withLock { $0 = false }
        #expect(await setup.worker.deliverDue() == 1)
        #expect(setup.codes.read { model, _ in model.code(sent.key)?.delivery } == .delivered)
        #expect(setup.sender.sent.withLock { $0.map(\.to) } == ["+8613712345678"])
        let outcomes = try await setup.log.read(from: 1, limit: 100).filter { $0.type == "verification.delivery-recorded.v1" }
        #expect(outcomes.count == 2)
        for outcome in outcomes {
            #expect(!String(decoding: outcome.payload, as: UTF8.self).contains("13712345678"))
        }
    }

    @Test func afterTheLastAttemptTheFailureIsFinal() async throws {
        let setup = try await Setup()
        _ = try await setup.service.send(channel: "sms", to: "+8613712345678", operation: "x", ttlSeconds: nil)
        for _ in 0..<DeliveryPolicy.maxAttempts {
            #expect(await setup.worker.deliverDue() == 1)
            setup.clock.advance(120)
        }
        #expect(setup.codes.read { model, _ in model.pendingDeliveries.isEmpty })
        #expect(await setup.worker.deliverDue() == 0)
    }

    @Test func pendingDeliveriesResumeAfterARestart() async throws {
        let setup = try await Setup()
        guard case .done(let sent) = try await setup.service.send(channel: "sms", to: "+8613712345678", operation: "x", ttlSeconds: nil)
        else { Issue.record("send"); return }
        // "Restart": new read model and worker over the same log; nothing was delivered before.
        let codes = LiveProjection<VerificationsReadModel>()
        try await ProjectionRuntime(log: setup.log, projections: [codes]).start()
        let sender = FlakySender()
        sender.failing.withLock { $0 = false }
        let clock = setup.clock
        let worker = DeliveryWorker(log: setup.log, codes: codes, secrets: secrets, senders: [.sms: sender], clock: { clock.now })
        #expect(await worker.deliverDue() == 1)
        #expect(codes.read { model, _ in model.code(sent.key)?.delivery } == .delivered)
        #expect(sender.sent.withLock { $0.count } == 1)
    }
}
