import EventSourcing
import Foundation
import HTTPAPI
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

/// An in-memory log whose reported health a test sets, as a failing disk would, and whose
/// appends take `commitDelay` first, as a disk's commits do (so concurrent commands decide
/// on a model that has not seen each other's appends yet).
final class SwitchableHealthLog: EventLogDecorator, LogHealthReporting {
    let inner: any EventLog = InMemoryEventLog()
    let commitDelay: Duration
    private let state = Mutex(LogHealth.ok)

    init(commitDelay: Duration = .zero) { self.commitDelay = commitDelay }

    var health: LogHealth {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }

    func append(_ request: AppendRequest) async throws -> AppendOutcome {
        if commitDelay > .zero { try await Task.sleep(for: commitDelay) }
        return try await inner.append(request)
    }
}

/// `GET /healthz` is liveness (200 while the process answers, as API.md says); `GET
/// /readyz` follows the log's health and the read models.
@Suite struct HealthAPITests {
    @Test func readyzIs503WhileTheLogCannotWriteAndHealthzStaysAlive() async throws {
        let log = SwitchableHealthLog()
        let server = try await TestServer(log: log)
        try await server.test { client in
            let fine = try await client.call(.get, "/readyz")
            #expect(fine.status == .ok && fine["status"] as? String == "ready")
            #expect(try await client.call(.get, "/healthz").json as NSDictionary == ["status": "ok"])

            log.health = .failing(reason: "storage_failure: commit failed: LMDB error -30795")
            let failing = try await client.call(.get, "/readyz")
            #expect(failing.status == .serviceUnavailable && failing["status"] as? String == "unavailable")
            #expect(failing["reasons"] as? [String] == ["log cannot write: storage_failure: commit failed: LMDB error -30795"])
            let alive = try await client.call(.get, "/healthz")
            #expect(alive.status == .ok, "a full disk is not cured by a restart: liveness stays 200")
            // Reads go on meanwhile.
            #expect(try await client.call(.get, "/v1/log/head").status == .ok)

            log.health = .ok
            #expect(try await client.call(.get, "/readyz").status == .ok)
        }
    }

    @Test func aReadModelStoppedByABadEventMakesTheInstanceUnready() async throws {
        let log = InMemoryEventLog()
        let server = try await TestServer(log: log)
        try await server.test { client in
            _ = try await log.append(AppendRequest(
                stream: StreamID("verification-01ARZ3NDEKTSV4RRFFQ69G5FAV"), expected: .any,
                events: [NewEvent(type: "verification.code-issued.v1", payload: [0xFF, 0x00], timestamp: Timestamp(millisecondsSince1970: 1))]))
            await server.server.runtime.applied(through: 1)
            let reply = try await client.call(.get, "/readyz")
            #expect(reply.status == .serviceUnavailable)
            let reasons = reply["reasons"] as? [String] ?? []
            #expect(reasons.contains { $0.hasPrefix("read model ") && $0.hasSuffix("stopped at a bad event") }, "\(reasons)")
            #expect(reply["head"] as? Int == 1)
        }
    }
}
