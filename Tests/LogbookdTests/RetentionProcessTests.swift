import Foundation
import Testing

/// What the soak (`tools/load/soak.py`) reads to judge pruning: the gauges of the
/// idempotency keys and codes the server holds, and `--test-retention-seconds` (dev mode
/// only), which shortens both retentions so pruning shows within a run.
@Suite struct RetentionProcessTests {
    /// The value of an unlabeled series in `/metrics` text.
    static func value(_ text: String, _ name: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    static func scrape(_ client: TestClient) async throws -> String {
        String(decoding: try await client.send("GET", "/metrics").body, as: UTF8.self)
    }

    /// Scrapes until `done` holds for the text (the gauges are published every second).
    static func waitFor(
        _ client: TestClient, within limit: Duration, _ done: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + limit
        var text = try await scrape(client)
        while !done(text), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            text = try await scrape(client)
        }
        return text
    }

    @Test(.timeLimit(.minutes(2)))
    func storedKeysAndCodesAreCountedAndKeysArePrunedAfterTheTestRetention() async throws {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-retention-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let server = try LogbookdProcess(dataDir: dataDir, arguments: ["--test-retention-seconds", "4"])
        defer { server.stop() }
        try await server.waitUntilReady()
        let client = server.client()
        for index in 1...2 {
            let body = #"{"channel":"sms","to":"+861371234000\#(index)","operation":"register","ttl_seconds":60}"#
            let reply = try await client.send(
                "POST", "/v1/verifications", body: Array(body.utf8), headers: ["Idempotency-Key": "retention-\(index)"])
            #expect(reply.status == 201)
        }
        // Counted, or (on a machine busy enough that a pruning pass ran first) already pruned:
        // every key is in one of the two series.
        func keys(_ text: String) -> Double {
            (Self.value(text, "logbook_idempotency_keys_stored") ?? -1) + (Self.value(text, "logbook_idempotency_keys_pruned_total") ?? 0)
        }
        let stored = try await Self.waitFor(client, within: .seconds(20)) {
            keys($0) == 2 && Self.value($0, "logbook_verification_codes_stored") == 2
        }
        #expect(keys(stored) == 2, "\(server.logTail())")
        #expect(Self.value(stored, "logbook_verification_codes_stored") == 2)
        #expect(stored.contains("# TYPE logbook_idempotency_keys_stored gauge"))

        // Kept 4 s, pruned by a pass every few seconds: gone within seconds (the default keeps them 25 h).
        let pruned = try await Self.waitFor(client, within: .seconds(30)) { Self.value($0, "logbook_idempotency_keys_stored") == 0 }
        #expect(Self.value(pruned, "logbook_idempotency_keys_stored") == 0, "\(server.logTail())")
        #expect(Self.value(pruned, "logbook_idempotency_keys_pruned_total") == 2)
        // The codes are still live (60 s): the retention starts when they expire.
        #expect(Self.value(pruned, "logbook_verification_codes_stored") == 2)
        #expect(server.log.contains("--test-retention-seconds"))
    }

    /// The short retention breaks API.md's "keys live at least 24 h": only a dev server takes it.
    @Test func testRetentionIsRefusedOutsideDevMode() async throws {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-retention-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let (status, _, errors) = try await OperatingProcessTests.run(
            "logbookd", ["--data-dir", dataDir, "--port", "1", "--test-retention-seconds", "5"])
        #expect(status != 0)
        #expect(errors.contains("--test-retention-seconds is for tests only and needs --dev"), "\(errors)")
        #expect(!FileManager.default.fileExists(atPath: dataDir + "/log"), "refused before the log was opened")
    }
}
