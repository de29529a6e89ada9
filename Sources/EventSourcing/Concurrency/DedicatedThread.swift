import Foundation

/// Runs blocking or long CPU work (dictionary training, long scans, encoding and
/// compressing a checkpoint) on a thread of its own, so Swift's cooperative pool (one
/// thread per core) never stalls on it, and neither does the log's writer.
///
/// ```swift
/// let bytes = try await DedicatedThread.run(name: "logbook-ckpt") { try compress(snapshot) }
/// ```
public enum DedicatedThread {
    /// How the thread competes for the cores with the requests.
    public enum Priority: Sendable {
        case normal
        /// Ten nice levels below the process (Linux nice values are per thread; at most 19):
        /// work nobody waits for, such as a
        /// read model's checkpoint or a dictionary's training, takes what the requests
        /// leave (about a tenth of a busy core) instead of an equal share: encoding a
        /// checkpoint of a large model on one of two cores had doubled the requests'
        /// latency while it ran.
        case background
    }

    public static func run<T: Sendable>(
        name: String, priority: Priority = .normal, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                current.mark(name)
                if priority == .background {
                    let which = __priority_which_t(PRIO_PROCESS.rawValue)
                    errno = 0
                    let own = getpriority(which, 0)
                    _ = setpriority(which, 0, min(19, (errno == 0 ? own : 0) + 10))
                }
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.start()
        }
    }

    /// The name of the dedicated thread the caller runs on; nil anywhere else (the
    /// cooperative pool, a dispatch queue, an unnamed thread).
    public static var currentName: String? { current.name }

    /// Names the calling thread (a long-lived one of the caller's own: the log's writer,
    /// the log-line writer) the way `run` names its threads, kernel included.
    public static func nameCurrentThread(_ name: String) { current.mark(name) }

    private static let current = ThreadName()
}

/// A name kept per thread (a POSIX thread-specific value), and given to the kernel too, so
/// `top -H`, `perf` and `gdb` show it. Set from inside the thread: Foundation's own
/// `Thread.name` reaches the kernel only when its thread handle is already stored, which
/// races with the new thread's start, and on Linux a new thread otherwise keeps its
/// creator's name (a dispatch queue's). Linux takes at most 15 bytes: keep names that short.
private final class ThreadName: Sendable {
    private let key: pthread_key_t

    init() {
        var key = pthread_key_t()
        pthread_key_create(&key) { value in
            if let value { Unmanaged<NSString>.fromOpaque(value).release() }
        }
        self.key = key
    }

    var name: String? {
        pthread_getspecific(key).map { Unmanaged<NSString>.fromOpaque($0).takeUnretainedValue() as String }
    }

    func mark(_ name: String) {
        if let old = pthread_getspecific(key) { Unmanaged<NSString>.fromOpaque(old).release() }
        pthread_setspecific(key, Unmanaged.passRetained(name as NSString).toOpaque())
        // The kernel's name: a thread may rename itself through its comm file.
        try? String(name.utf8.prefix(15))?.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
    }
}
