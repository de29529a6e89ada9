import Dispatch
import Foundation

/// Runs a program to its end for the process tests and collects what it wrote: one
/// helper for every test that starts `logbookd --print-config`, `logbook verify`, `mount`
/// or a Python tool.
///
/// Standard output and standard error are drained side by side (reading one to its end
/// before the other deadlocks once the child fills the other pipe's 64 KiB). The `async`
/// form waits on a dispatch thread: blocking one of the cooperative pool's two threads for
/// a child's seconds starves every test running beside it.
struct ChildProcess {
    struct Result: Sendable {
        var status: Int32
        /// Standard output (with standard error in it when they were merged).
        var output: String
        /// Standard error, empty when merged into `output`.
        var errors: String
    }

    var executable: URL
    var arguments: [String]
    var directory: URL?
    /// The whole environment of the child; nil inherits this process's.
    var environment: [String: String]?
    /// Standard error into the same pipe as standard output, interleaved as written.
    var mergeErrors = false
    /// Terminates the child (SIGTERM) if it is still running after this long.
    var timeout: Duration?

    /// Blocks the calling thread until the child exits (for synchronous callers such as an
    /// initializer; tests use `run()` async).
    func runBlocking() throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = mergeErrors ? out : Pipe()
        (process.standardOutput, process.standardError) = (out, err)
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(timeout / .milliseconds(1))), execute: watchdog)
        }
        defer { watchdog.cancel() }
        let errors = Collected()
        let drained = DispatchGroup()
        if !mergeErrors {
            DispatchQueue.global().async(group: drained) { errors.set(err.fileHandleForReading.readDataToEndOfFile()) }
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
            errors: String(decoding: errors.data, as: UTF8.self))
    }

    /// Runs the child to its end without holding a thread of the cooperative pool.
    func run() async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Swift.Result { try runBlocking() }) }
        }
    }

    /// The other pipe's bytes, handed from the thread that read them.
    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes = Data()
        var data: Data { lock.withLock { bytes } }
        func set(_ data: Data) { lock.withLock { bytes = data } }
    }
}
