import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Power loss, not just SIGKILL: `logbookd` runs under strace, and every 2xx it writes to a
/// socket for a command must come after the commit of that command reached the disk
/// (`SyncAudit`). A SIGKILL keeps the page cache, so the crash test would pass with syncing
/// off; this audit does not: the same run with `--unsafe-no-sync` must be caught.
@Suite(.serialized) struct FsyncAuditProcessTests {
    static let strace = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether strace exists and may trace here (containers often refuse ptrace).
    static let canTrace: Bool = {
        guard let strace else { return false }
        return ScratchFileSystem.run([strace, "-f", "-qq", "-e", "trace=none", "/bin/true"]).0 == 0
    }()

    struct Run {
        var audit: SyncAudit
        var acknowledged: Int
        var log: String
    }

    /// Starts `logbookd` under strace, sends a few dozen commands (one client, then four at
    /// once), stops it and audits the trace.
    static func tracedRun(_ arguments: [String] = []) async throws -> Run {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-fsync-\(UUID().uuidString)").path
        let traceFile = base + ".trace"
        defer {
            try? FileManager.default.removeItem(atPath: base)
            try? FileManager.default.removeItem(atPath: traceFile)
        }
        let wrapper = [
            try #require(strace), "-f", "-qq", "-ttt", "-yy", "-s", "48", "--seccomp-bpf", "-e", "signal=none", "-o", traceFile,
            "-e", "trace=openat,read,readv,recvfrom,recvmsg,write,writev,sendto,sendmsg,pwrite64,pwritev,pwritev2,fsync,fdatasync",
        ]
        let server = try LogbookdProcess(dataDir: base, arguments: arguments, under: wrapper)
        defer { server.stop() }
        try await server.waitUntilReady(within: .seconds(60))

        let ledger = WriteLedger()
        let client = server.client()
        var tokens: [String] = []
        for _ in 0..<3 {
            await ledger.sendCode(client)
            await ledger.sendCode(client)
            if let token = await ledger.register(client) { tokens.append(token) }
        }
        for token in tokens { await ledger.upload(client, token: token, size: 2048) }
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    let client = server.client()
                    for _ in 0..<4 { await ledger.sendCode(client) }
                    if let token = await ledger.register(client) { await ledger.upload(client, token: token, size: 2048 + writer) }
                }
            }
        }
        let problems = await ledger.unexpected
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(server.stop() == 0, "\(server.logTail())")
        let trace = try String(contentsOfFile: traceFile, encoding: .utf8)
        // LOGBOOK_KEEP_TRACES=DIR keeps each trace there, to read what the audit judged.
        if let keep = ProcessInfo.processInfo.environment["LOGBOOK_KEEP_TRACES"] {
            let name = arguments.isEmpty ? "synced.trace" : "unsynced.trace"
            try? FileManager.default.removeItem(atPath: keep + "/" + name)
            try? FileManager.default.copyItem(atPath: traceFile, toPath: keep + "/" + name)
        }
        return Run(audit: SyncAudit(trace: trace), acknowledged: await ledger.acknowledged, log: server.log)
    }

    @Test(.enabled(if: canTrace, "strace is missing or may not trace here (ptrace refused); skipped"), .timeLimit(.minutes(3)))
    func every2xxToACommandLeavesAfterItsCommitIsOnDisk() async throws {
        let durable = try await Self.tracedRun()
        #expect(durable.acknowledged == 36)
        #expect(durable.audit.audited == durable.acknowledged, "the trace shows every acknowledged command")
        #expect(durable.audit.durableCommits >= 10)
        #expect(durable.audit.violations.isEmpty, "\(durable.audit.violations.prefix(5))")

        // The negative control: with syncing off, the audit catches every 2xx.
        let unsynced = try await Self.tracedRun(["--unsafe-no-sync"])
        #expect(unsynced.log.contains("UNSAFE: --unsafe-no-sync"))
        #expect(unsynced.audit.audited == unsynced.acknowledged)
        #expect(unsynced.audit.durableCommits == 0)
        #expect(Set(unsynced.audit.violations.map(\.lines)).count == unsynced.audit.audited, "\(unsynced.audit.violations.prefix(5))")
    }

    /// The negative control's switch cannot reach a production server: it is refused
    /// without --dev (and never read from the environment or a config file).
    @Test func unsafeNoSyncIsRefusedOutsideDevMode() async throws {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-nosync-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let (status, _, errors) = try await OperatingProcessTests.run(
            "logbookd", ["--data-dir", dataDir, "--port", "1", "--unsafe-no-sync"])
        #expect(status != 0)
        #expect(errors.contains("--unsafe-no-sync is for tests only and needs --dev"), "\(errors)")
        #expect(!FileManager.default.fileExists(atPath: dataDir + "/log"), "refused before the log was opened")
    }
}
