import DequeModule
public import NIOCore
import NIOPosix
import Synchronization

/// Runs password hashing off the cooperative pool and off the log writer: on a thread
/// pool of its own (one thread per core by default, so at most that many hashes, and
/// their 128 MiB each, at once), with bounded, fair queues.
///
/// Each job names who asked (a client address, an account): jobs wait in a queue per
/// name and the threads take from the names in turn, so one burst (a client guessing, a
/// script registering) waits behind itself, not in front of everyone else. A name may
/// have `maxQueuedPerClient` jobs waiting and all names `maxQueued`; beyond either the job
/// is refused at once (`PasswordHasher.Busy`) rather than piling up memory and latency.
public final class PasswordHasher: Sendable {
    /// Too many hashes are queued (for this client, or in all); retry shortly.
    public struct Busy: Error {}

    public let parameters: PasswordHash.Parameters
    public let maxQueued: Int
    public let maxQueuedPerClient: Int
    private let pool: NIOThreadPool
    private let queues = Mutex(FairQueues())
    private let instruments = Mutex(Instruments())

    /// What the hasher reports as it works (metrics); nothing by default.
    public struct Instruments: Sendable {
        /// Jobs waiting or running, after each change.
        public var depth: @Sendable (Int) -> Void = { _ in }
        /// How long a job waited for a thread.
        public var waited: @Sendable (Duration) -> Void = { _ in }
        /// A job refused because a queue was full.
        public var refused: @Sendable () -> Void = {}

        public init() {}
    }

    /// Reports the queue's depth, waits and refusals to `instruments` from now on.
    public func instrument(_ instruments: Instruments) { self.instruments.withLock { $0 = instruments } }

    /// Jobs waiting per client, and the order in which clients are served.
    struct FairQueues {
        var waiting: [String: Deque<@Sendable () -> Void>] = [:]
        var turns = Deque<String>()
        var count = 0

        mutating func next() -> (@Sendable () -> Void)? {
            while let client = turns.popFirst() {
                guard var jobs = waiting[client], let job = jobs.popFirst() else { continue }
                count -= 1
                if jobs.isEmpty {
                    waiting[client] = nil
                } else {
                    waiting[client] = jobs
                    turns.append(client)
                }
                return job
            }
            return nil
        }
    }

    public init(
        parameters: PasswordHash.Parameters = .owasp, threads: Int = System.coreCount, maxQueued: Int = 256, maxQueuedPerClient: Int = 8
    ) {
        self.parameters = parameters
        self.maxQueued = maxQueued
        self.maxQueuedPerClient = maxQueuedPerClient
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    deinit { pool.shutdownGracefully { _ in } }

    /// How many hashes wait or run now.
    public var queued: Int { queues.withLock { $0.count } }

    /// A new hash of `password` with a random salt.
    public func hash(_ password: String, client: String = "") async throws -> PasswordHash {
        let parameters = parameters
        var random = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        return try await run(client: client) { try PasswordHash.make(password: password, salt: salt, parameters: parameters) }
    }

    /// Whether `password` matches `hash`. With no hash (an unknown account) it does the
    /// same work against a throwaway hash and answers false, so timing does not tell.
    public func verify(_ password: String, against hash: PasswordHash?, client: String = "") async throws -> Bool {
        guard let hash else {
            _ = try await self.hash(password, client: client)
            return false
        }
        return try await run(client: client) { hash.matches(password) }
    }

    private func run<T: Sendable>(client: String, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let report = instruments.withLock { $0 }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let queuedAt = ContinuousClock.now
            let job: @Sendable () -> Void = {
                report.waited(ContinuousClock.now - queuedAt)
                continuation.resume(with: Result { try work() })
            }
            let accepted: Int? = queues.withLock { queues in
                guard queues.count < maxQueued, queues.waiting[client, default: []].count < maxQueuedPerClient else { return nil }
                if queues.waiting[client] == nil { queues.turns.append(client) }
                queues.waiting[client, default: []].append(job)
                queues.count += 1
                return queues.count
            }
            guard let depth = accepted else {
                report.refused()
                return continuation.resume(throwing: Busy())
            }
            report.depth(depth)
            // Each submission runs whichever job is next in turn, not necessarily this one.
            // (At shutdown the job still runs, so no caller is left waiting.)
            pool.submit { [self] _ in
                let (next, depth) = queues.withLock { ($0.next(), $0.count) }
                report.depth(depth)
                next?()
            }
        }
    }
}
