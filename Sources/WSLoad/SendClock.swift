import Foundation

/// Nanoseconds on the monotonic clock: what a message's text carries (the time it was due),
/// so the socket that receives it, in this process, knows how long it took.
enum SendClock {
    static var nanoseconds: Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
    }
}
