import Foundation

/// Runs blocking or long CPU work (dictionary training, long scans, encoding and
/// compressing a checkpoint) on a thread of its own, so Swift's cooperative pool (one
/// thread per core) never stalls on it, and neither does the log's writer.
///
/// ```swift
/// let bytes = try await DedicatedThread.run(name: "logbook-ckpt") { try compress(snapshot) }
/// ```
public enum DedicatedThread {
    public static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                // Named from inside too: on Linux a new thread otherwise keeps its creator's
                // name (a dispatch queue's), which is what `top -H` and `perf` would show.
                // Linux takes at most 15 bytes: keep names that short.
                Thread.current.name = name
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.start()
        }
    }
}
