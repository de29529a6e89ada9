import Synchronization

/// What the request log and the error envelope need to know about the request in flight,
/// bound to its task by `RequestIDMiddleware`: its id, and the member once a token named
/// one (`MemberAuth` records it). Outside a request (`current` nil) nothing is recorded.
public final class RequestTrace: Sendable {
    @TaskLocal public static var current: RequestTrace?

    public let requestID: String
    private let member = Mutex<String?>(nil)

    public init(requestID: String) { self.requestID = requestID }

    /// The authenticated member's id, if a route authenticated one.
    public var memberID: String? {
        get { member.withLock { $0 } }
        set { member.withLock { $0 = newValue } }
    }
}
