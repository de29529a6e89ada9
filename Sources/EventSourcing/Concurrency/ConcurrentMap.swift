import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// `transform` of every element, computed side by side on Dispatch's worker threads (as
    /// many at once as there are cores), in the array's order. It blocks the calling thread
    /// until all are done: call it off Swift's cooperative pool (`sideBySide` does).
    ///
    /// ```swift
    /// let digests = copies.concurrentMap { $0.digest() }
    /// ```
    public func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let results = Mutex([T?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result = transform(self[index])
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    /// `concurrentMap` from an async context: the work runs on a Dispatch worker thread and
    /// the threads it fans out to, never on the cooperative pool.
    public func sideBySide<T: Sendable>(_ transform: @escaping @Sendable (Element) -> T) async -> [T] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: concurrentMap(transform))
            }
        }
    }
}
