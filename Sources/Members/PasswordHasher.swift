public import NIOCore
import NIOPosix
import Synchronization

/// Runs password hashing off the cooperative pool and off the log writer: on a thread
/// pool of its own (one thread per core by default, so at most that many hashes, and
/// their 128 MiB each, at once), with a bounded queue. A burst beyond the queue is
/// refused at once (`PasswordHasher.Busy`) rather than piling up memory and latency.
public final class PasswordHasher: Sendable {
    /// Too many hashes are queued; retry shortly.
    public struct Busy: Error {}

    public let parameters: PasswordHash.Parameters
    public let maxQueued: Int
    private let pool: NIOThreadPool
    private let outstanding = Atomic<Int>(0)

    public init(parameters: PasswordHash.Parameters = .owasp, threads: Int = System.coreCount, maxQueued: Int = 256) {
        self.parameters = parameters
        self.maxQueued = maxQueued
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    deinit { pool.shutdownGracefully { _ in } }

    /// A new hash of `password` with a random salt.
    public func hash(_ password: String) async throws -> PasswordHash {
        let parameters = parameters
        var random = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        return try await run { try PasswordHash.make(password: password, salt: salt, parameters: parameters) }
    }

    /// Whether `password` matches `hash`. With no hash (an unknown account) it does the
    /// same work against a throwaway hash and answers false, so timing does not tell.
    public func verify(_ password: String, against hash: PasswordHash?) async throws -> Bool {
        guard let hash else {
            _ = try await self.hash(password)
            return false
        }
        return try await run { hash.matches(password) }
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        guard outstanding.wrappingAdd(1, ordering: .relaxed).newValue <= maxQueued else {
            outstanding.wrappingSubtract(1, ordering: .relaxed)
            throw Busy()
        }
        defer { outstanding.wrappingSubtract(1, ordering: .relaxed) }
        return try await pool.runIfActive(work)
    }
}
