import Foundation

/// Runs blocking or long CPU work (dictionary training, long scans) on a thread of
/// its own, so Swift's cooperative pool (one thread per core) never stalls on it.
enum DedicatedThread {
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.start()
        }
    }
}
