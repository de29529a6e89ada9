import EventSourcing
import Foundation

/// The wall clock, read only here, at the edge: decisions receive its value as `now`.
enum SystemClock {
    @Sendable static func now() -> Timestamp {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
