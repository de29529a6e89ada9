import Foundation
import Testing

/// The real `logbookd` and its data directory: private key files that are never replaced,
/// a half-restored directory refused, and one server per directory.
@Suite(.serialized) struct DataDirectoryProcessTests {
    /// Runs `logbookd` expecting it to stop by itself; returns its exit status and stderr.
    static func start(dataDir: String, _ arguments: [String] = []) throws -> (status: Int32, error: String) {
        let binary = try #require(LogbookdProcessTests.binary, "logbookd must be built next to the tests")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--dev", "--data-dir", dataDir, "--port", String(Int.random(in: 20_000...60_000))] + arguments
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // A refused start exits at once; one that serves is stopped after 5 s.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 5, execute: watchdog)
        let error = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        return (process.terminationStatus, error)
    }

    static func newDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("logbookd-\(UUID().uuidString)").path
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    /// A data directory whose log holds one event (a code sent), server stopped.
    static func usedDirectory() async throws -> String {
        let dataDir = newDirectory()
        let binary = try #require(LogbookdProcessTests.binary)
        let server = try LogbookdProcessTests.Server(binary: binary, dataDir: dataDir, port: Int.random(in: 20_000...60_000))
        try await server.waitUntilReady()
        let (status, _) = try await server.request(
            "POST", "/v1/verifications", json: #"{"channel":"sms","to":"13712345678","operation":"login"}"#)
        #expect(status == 201)
        server.stop()
        return dataDir
    }

    @Test(.timeLimit(.minutes(1)))
    func keyFilesArePrivateAndAnUnusableOneStopsTheStart() async throws {
        let dataDir = try await Self.usedDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        #expect(try Self.mode(dataDir) == 0o700)
        #expect(try Self.mode(dataDir + "/secret") == 0o600)
        #expect(try Self.mode(dataDir + "/signing-key") == 0o600)
        let secret = try Data(contentsOf: URL(fileURLWithPath: dataDir + "/secret"))
        let signingKey = try Data(contentsOf: URL(fileURLWithPath: dataDir + "/signing-key"))

        // A short secret: refused, named, and left as it was.
        try Data(secret.prefix(31)).write(to: URL(fileURLWithPath: dataDir + "/secret"))
        var started = try Self.start(dataDir: dataDir)
        #expect(started.status != 0)
        #expect(started.error.contains("\(dataDir)/secret holds 31 bytes"), "\(started.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dataDir + "/secret")).count == 31)

        // A secret that cannot be read (a directory: read fails with EISDIR, even as root).
        try FileManager.default.removeItem(atPath: dataDir + "/secret")
        try FileManager.default.createDirectory(atPath: dataDir + "/secret", withIntermediateDirectories: false)
        started = try Self.start(dataDir: dataDir)
        #expect(started.status != 0)
        #expect(started.error.contains("\(dataDir)/secret cannot be read"), "\(started.error)")
        try FileManager.default.removeItem(atPath: dataDir + "/secret")
        try secret.write(to: URL(fileURLWithPath: dataDir + "/secret"))

        // A signing key of the wrong size: refused, not replaced.
        try (signingKey + Data([1])).write(to: URL(fileURLWithPath: dataDir + "/signing-key"))
        started = try Self.start(dataDir: dataDir)
        #expect(started.status != 0)
        #expect(started.error.contains("\(dataDir)/signing-key holds 33 bytes, not 32"), "\(started.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dataDir + "/signing-key")).count == 33)
    }

    @Test(.timeLimit(.minutes(1)))
    func aHalfRestoredDirectoryIsRefused() async throws {
        let dataDir = try await Self.usedDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let secretURL = URL(fileURLWithPath: dataDir + "/secret")
        let secret = try Data(contentsOf: secretURL)

        try FileManager.default.removeItem(at: secretURL)
        var started = try Self.start(dataDir: dataDir)
        #expect(started.status != 0)
        #expect(started.error.contains("events but \(dataDir)/secret is missing: restore it from the backup"), "\(started.error)")
        #expect(!FileManager.default.fileExists(atPath: secretURL.path))

        // With --secret-file elsewhere, that file is the one that must exist.
        let elsewhere = dataDir + "-secret"
        started = try Self.start(dataDir: dataDir, ["--secret-file", elsewhere])
        #expect(started.status != 0 && started.error.contains("\(elsewhere) is missing"), "\(started.error)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere))

        try secret.write(to: secretURL)
        let keys = dataDir + "/member-keys"
        try FileManager.default.removeItem(atPath: keys)
        started = try Self.start(dataDir: dataDir)
        #expect(started.status != 0 && started.error.contains("\(keys) is missing"), "\(started.error)")
        #expect(!FileManager.default.fileExists(atPath: keys))
    }

    @Test(.timeLimit(.minutes(1)))
    func aNewDirectoryWithASecretElsewhereStarts() async throws {
        let dataDir = Self.newDirectory()
        let elsewhere = dataDir + "-secret"
        defer {
            try? FileManager.default.removeItem(atPath: dataDir)
            try? FileManager.default.removeItem(atPath: elsewhere)
        }
        let started = try Self.start(dataDir: dataDir, ["--secret-file", elsewhere])
        #expect(started.status == 0, "\(started.error)")
        #expect(try Self.mode(elsewhere) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: dataDir + "/secret"))
    }

    @Test(.timeLimit(.minutes(1)))
    func oneServerPerDataDirectory() async throws {
        let dataDir = Self.newDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let binary = try #require(LogbookdProcessTests.binary)
        let first = try LogbookdProcessTests.Server(binary: binary, dataDir: dataDir, port: Int.random(in: 20_000...60_000))
        defer { first.stop() }
        try await first.waitUntilReady()
        #expect(try await first.request("POST", "/v1/captchas").0 == 201)

        let second = try Self.start(dataDir: dataDir)
        #expect(second.status != 0)
        #expect(second.error.contains("held by another logbookd (pid \(first.process.processIdentifier))"), "\(second.error)")
        #expect(try await first.request("GET", "/healthz").0 == 200)

        // Read-only audit commands do not take the lock.
        let audit = Process()
        audit.executableURL = binary.deletingLastPathComponent().appendingPathComponent("logbook")
        audit.arguments = ["verify", dataDir]
        audit.standardOutput = FileHandle.nullDevice
        audit.standardError = FileHandle.nullDevice
        try audit.run()
        audit.waitUntilExit()
        #expect(audit.terminationStatus == 0)
    }

    /// A start killed while it writes the new server secret (strace kills the process at
    /// its first write to the key or its temporary file) leaves no short key under the
    /// name: the next start creates the keys and serves. It used to leave an empty
    /// `secret` that every later start refused ("holds 0 bytes ... restore it from a backup").
    @Test(.enabled(if: FsyncAuditProcessTests.canTrace, "strace is missing or may not trace here (ptrace refused); skipped"),
          .timeLimit(.minutes(1)))
    func aStartKilledWhileWritingTheSecretLeavesNoShortKey() async throws {
        let dataDir = Self.newDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let binary = try #require(LogbookdProcessTests.binary)
        let killed = try await ChildProcess(
            executable: URL(fileURLWithPath: try #require(FsyncAuditProcessTests.strace)),
            arguments: [
                "-f", "-qq", "-o", "/dev/null", "-P", dataDir + "/secret", "-P", dataDir + "/secret.partial",
                "-e", "trace=write", "-e", "inject=write:signal=KILL",
                binary.path, "--dev", "--data-dir", dataDir, "--port", String(Int.random(in: 20_000...60_000)),
            ],
            timeout: .seconds(20)
        ).run()
        // strace ends as its child did: killed by SIGKILL (or exits 128 + 9 where it cannot).
        #expect([SIGKILL, 128 + SIGKILL].contains(killed.status), "the first start is killed at the key's write (status \(killed.status))")

        let started = try Self.start(dataDir: dataDir)
        #expect(!started.error.contains("holds 0 bytes"), "\(started.error)")
        #expect(started.error.contains("listening"), "the second start serves: \(started.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dataDir + "/secret")).count == 32)
        #expect(!FileManager.default.fileExists(atPath: dataDir + "/secret.partial"))
    }
}
