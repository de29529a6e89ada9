import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The disk fills under load: writes answer 503 `unavailable`, reads go on answering 200,
/// the process stays up, no upload leaves a temporary file, and once space is freed writes
/// resume without a restart; the log then verifies and holds every acknowledged write. The
/// same for the LMDB map reaching `--max-map-size`, which a restart with a larger one
/// recovers (ARCHITECTURE.md, "Failure model").
@Suite(.serialized) struct FullDiskProcessTests {
    /// Writers (codes, registrations, uploads in turn) and a reader, concurrently, until every
    /// kind of write has been refused `until` times or `limit` has passed.
    static func load(
        _ server: LogbookdProcess, _ ledger: WriteLedger, tokens: [String], uploadSize: Int, writers: Int = 6, until: Int = 3,
        limit: Duration = .seconds(60)
    ) async {
        let deadline = ContinuousClock.now + limit
        let done: @Sendable () async -> Bool = {
            guard ContinuousClock.now < deadline else { return true }
            for kind in WriteLedger.Kind.allCases where await ledger.unavailableCount(kind) < until { return false }
            return true
        }
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let client = server.client()
                    var turn = writer
                    while await !done() {
                        switch turn % 3 {
                        case 0: await ledger.sendCode(client)
                        case 1: await ledger.register(client)
                        default: await ledger.upload(client, token: tokens[writer % tokens.count], size: uploadSize)
                        }
                        turn += 1
                    }
                }
            }
            group.addTask {
                let client = server.client()
                while await !done() {
                    await expectReadsWork(client, ledger)
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
        }
    }

    /// Reads answer 200 whatever the storage: liveness, the head, an acknowledged code.
    static func expectReadsWork(_ client: TestClient, _ ledger: WriteLedger) async {
        var paths = ["/healthz", "/v1/log/head"]
        if let key = await ledger.verificationKeys.first { paths.append("/v1/verifications/\(key)") }
        for path in paths {
            let status = (try? await client.send("GET", path))?.status
            if status != 200 { await ledger.note("GET \(path): \(status.map(String.init) ?? "no answer")") }
        }
    }

    static func readiness(_ client: TestClient) async -> (status: Int, body: String) {
        guard let reply = try? await client.send("GET", "/readyz") else { return (0, "no answer") }
        return (reply.status, String(decoding: reply.body, as: UTF8.self))
    }

    /// After a refused write (the log's health is the last commit's outcome), /readyz says
    /// 503 naming `reason`, and keeps saying so past several of the idle probe's rounds.
    static func expectUnready(_ client: TestClient, _ ledger: WriteLedger, reason: String) async throws {
        var refused = false
        for _ in 0..<100 where !refused { refused = await !ledger.sendCode(client) }
        #expect(refused, "codes kept being acknowledged")
        let (status, body) = await readiness(client)
        #expect(status == 503 && body.contains("log cannot write") && body.contains(reason), "/readyz: \(status) \(body)")
        await expectReadsWork(client, ledger)
        for _ in 0..<5 {
            try await Task.sleep(for: .milliseconds(500))
            let later = await readiness(client)
            #expect(later.status == 503, "a probe made the full log ready: \(later.body)")
        }
    }

    /// Each kind of write is acknowledged again.
    static func expectWritesWork(_ client: TestClient, _ ledger: WriteLedger) async {
        #expect(await ledger.sendCode(client))
        let token = await ledger.register(client)
        #expect(token != nil)
        let uploads = await ledger.uploads.count
        if let token { await ledger.upload(client, token: token, size: 64 << 10) }
        #expect(await ledger.uploads.count == uploads + 1)
    }

    static func waitUntilReady(_ client: TestClient, within limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if await readiness(client).status == 200 { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// `logbook verify` passes on the data directory.
    static func expectVerifies(_ dataDir: String) async throws {
        let (status, output, errors) = try await OperatingProcessTests.run("logbook", ["verify", dataDir])
        #expect(status == 0, "logbook verify: \(output) \(errors)")
    }

    /// After a restart, every acknowledged write is there, and nothing unexpected was answered.
    static func expectEverythingAcknowledgedSurvives(_ dataDir: String, _ ledger: WriteLedger, arguments: [String] = []) async throws {
        let restarted = try LogbookdProcess(dataDir: dataDir, arguments: arguments)
        defer { restarted.stop() }
        try await restarted.waitUntilReady()
        let missing = await ledger.missing(restarted.client())
        #expect(missing.isEmpty, "acknowledged, then missing: \(missing.prefix(10))")
        #expect(await ledger.acknowledged > 20)
        let problems = await ledger.unexpected
        #expect(problems.isEmpty, "answers no failure explains: \(problems.prefix(10))")
    }

    static func temporaryUploads(_ dataDir: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: dataDir + "/uploads/incoming")) ?? []
    }

    @Test(.enabled(if: ScratchFileSystem.canMount, "mounting a tmpfs needs root (CAP_SYS_ADMIN); skipped here"), .timeLimit(.minutes(3)))
    func writesAnswer503WhileTheDiskIsFullAndResumeOnceSpaceIsFreed() async throws {
        let disk = try ScratchFileSystem(bytes: 24 << 20)
        defer { disk.unmount() }
        #expect(disk.fill("ballast", upTo: 8 << 20) == 8 << 20)
        let dataDir = disk.path + "/data"
        let server = try LogbookdProcess(dataDir: dataDir)
        defer { server.stop() }
        try await server.waitUntilReady()
        let client = server.client()
        let ledger = WriteLedger()
        var tokens: [String] = []
        for _ in 0..<3 { tokens.append(try #require(await ledger.register(client), "a registration before the disk fills")) }

        // Under load until every kind of write has been refused.
        await Self.load(server, ledger, tokens: tokens, uploadSize: 384 << 10)
        for kind in WriteLedger.Kind.allCases {
            #expect(await ledger.unavailableCount(kind) >= 3, "\(kind) never answered 503: the disk did not fill")
        }

        // Full to the last byte and quiet: refused, unready, reads go on, no upload left behind.
        disk.fill("filler")
        try await Self.expectUnready(client, ledger, reason: "storage_full")
        let refusedUploads = await ledger.unavailableCount(.upload)
        await ledger.upload(client, token: tokens[0], size: 64 << 10)
        #expect(await ledger.unavailableCount(.upload) == refusedUploads + 1)
        #expect(Self.temporaryUploads(dataDir).isEmpty)

        // Space freed: ready again with no request, writes resume, in the same process.
        let pid = server.serverPID
        try FileManager.default.removeItem(atPath: disk.path + "/filler")
        try FileManager.default.removeItem(atPath: disk.path + "/ballast")
        if try await !Self.waitUntilReady(client, within: .seconds(10)) {
            let now = await Self.readiness(client)
            Issue.record("not ready 10 s after space was freed: \(now)")
        }
        await Self.expectWritesWork(client, ledger)
        #expect(server.process.isRunning && server.serverPID == pid)
        #expect(Self.temporaryUploads(dataDir).isEmpty)

        #expect(server.stop() == 0, "\(server.logTail())")
        try await Self.expectVerifies(dataDir)
        try await Self.expectEverythingAcknowledgedSurvives(dataDir, ledger)
    }

    @Test(.timeLimit(.minutes(3)))
    func writesAnswer503WhileTheMapIsFullUntilARestartWithALargerMap() async throws {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-map-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let server = try LogbookdProcess(dataDir: dataDir, arguments: ["--max-map-size", String(1 << 20)])
        defer { server.stop() }
        try await server.waitUntilReady()
        let client = server.client()
        let ledger = WriteLedger()
        var tokens: [String] = []
        for _ in 0..<3 { tokens.append(try #require(await ledger.register(client), "a registration before the map fills")) }

        await Self.load(server, ledger, tokens: tokens, uploadSize: 4 << 10)
        for kind in WriteLedger.Kind.allCases {
            #expect(await ledger.unavailableCount(kind) >= 3, "\(kind) never answered 503: the map did not fill")
        }
        try await Self.expectUnready(client, ledger, reason: "maximum size")
        #expect(server.process.isRunning)
        #expect(Self.temporaryUploads(dataDir).isEmpty)

        #expect(server.stop() == 0, "\(server.logTail())")
        try await Self.expectVerifies(dataDir)
        let larger = ["--max-map-size", String(16 << 20)]
        let grown = try LogbookdProcess(dataDir: dataDir, arguments: larger)
        try await grown.waitUntilReady()
        #expect(await Self.readiness(grown.client()).status == 200)
        await Self.expectWritesWork(grown.client(), ledger)
        #expect(grown.stop() == 0)
        try await Self.expectEverythingAcknowledgedSurvives(dataDir, ledger, arguments: larger)
    }
}
