import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A failure test's own error: what went wrong setting up, with the server's last log lines.
struct FailureTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One HTTP connection to a test server (see `HostileInputProcessTests.Client`).
typealias TestClient = HostileInputProcessTests.Client

/// A `logbookd` child for the failure tests: dev mode, cheap password hashes, its log lines
/// in a file on the real disk, optionally started under another program (strace).
final class LogbookdProcess: @unchecked Sendable {
    let process = Process()
    let port = Int.random(in: 20_000...60_000)
    let dataDir: String
    let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("logbookd-\(UUID().uuidString).log").path

    init(dataDir: String, arguments: [String] = [], under wrapper: [String] = []) throws {
        guard let binary = LogbookdProcessTests.binary else {
            throw FailureTestError("logbookd must be built next to the tests (swift build --build-tests)")
        }
        self.dataDir = dataDir
        let own = ["--dev", "--data-dir", dataDir, "--port", String(port), "--password-hash-log-n", "10"] + arguments
        if let program = wrapper.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(wrapper.dropFirst()) + [binary.path] + own
        } else {
            process.executableURL = binary
            process.arguments = own
        }
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LOGBOOK_") }
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        if let pid = serverPID { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: logFile)
    }

    /// A new connection to this server.
    func client() -> TestClient { TestClient(port: port) }

    func waitUntilReady(within limit: Duration = .seconds(30)) async throws {
        let client = client()
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let reply = try? await client.send("GET", "/healthz"), reply.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw FailureTestError("logbookd did not start: \(logTail())")
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    func logTail(_ lines: Int = 30) -> String { log.split(separator: "\n").suffix(lines).joined(separator: "\n") }

    /// The server's own pid, which it writes into DATA_DIR/logbookd.lock (under a wrapper,
    /// `process` is the wrapper).
    var serverPID: pid_t? {
        guard process.isRunning, let text = try? String(contentsOfFile: dataDir + "/logbookd.lock", encoding: .utf8) else { return nil }
        return pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// SIGTERM to the server (graceful shutdown), then waits for it and any wrapper to exit;
    /// returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(serverPID ?? process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// A size-limited tmpfs mounted for one test: a disk the test can fill and free again.
final class ScratchFileSystem {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-fs-\(UUID().uuidString)").path
    private var mounted = false

    /// Whether this machine lets the tests mount one (root with CAP_SYS_ADMIN); asked once.
    static let canMount: Bool = (try? ScratchFileSystem(bytes: 1 << 20)).map { $0.unmount() } != nil

    init(bytes: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let (status, output) = Self.run(["mount", "-t", "tmpfs", "-o", "size=\(bytes),mode=0755", "logbook-test", path])
        guard status == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw FailureTestError("mount -t tmpfs refused: \(output)")
        }
        mounted = true
    }

    deinit { unmount() }

    func unmount() {
        guard mounted else { return }
        if Self.run(["umount", path]).0 != 0 { _ = Self.run(["umount", "-l", path]) }
        mounted = false
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Bytes an unprivileged process may still write here.
    var freeBytes: Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    /// Writes `name` (in this file system) with zeros until `limit` bytes or until the file
    /// system is full; returns the bytes written.
    @discardableResult
    func fill(_ name: String, upTo limit: Int = .max) -> Int {
        let fd = open(path + "/" + name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0, count: 64 << 10)
        var written = 0
        while written < limit {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, min($0.count, limit - written)) }
            guard n > 0 else { break }
            written += n
        }
        return written
    }

    /// Runs a program found on PATH; its exit status and output. Blocking: called from
    /// the initializer and `deinit`, for `mount` and `umount`, which return at once.
    static func run(_ arguments: [String]) -> (Int32, String) {
        let child = ChildProcess(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: arguments, mergeErrors: true)
        guard let result = try? child.runBlocking() else { return (-1, "cannot run \(arguments[0])") }
        return (result.status, result.output)
    }
}
