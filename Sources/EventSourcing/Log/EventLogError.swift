/// Why a log operation failed.
///
/// A struct with a code, in the Hummingbird way, so new codes never break a
/// `switch` in callers. Every append error means nothing was appended.
public struct EventLogError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }
        /// A stream was not at the expected version.
        public static let wrongExpectedVersion = Code(name: "wrong_expected_version")
        /// An event or request the log cannot store (empty stream, too large, ...).
        public static let invalidRequest = Code(name: "invalid_request")
        /// The storage is full (disk or map) and could not grow.
        public static let storageFull = Code(name: "storage_full")
        /// The storage failed to read or commit.
        public static let storageFailure = Code(name: "storage_failure")
        /// A record failed to decode or verify.
        public static let corrupt = Code(name: "corrupt")
        /// The log was closed.
        public static let closed = Code(name: "closed")
    }

    public let code: Code
    public let message: String
    /// For `wrongExpectedVersion`: the stream, what was expected and what it was.
    public let stream: StreamID?
    public let expected: ExpectedVersion?
    public let actual: StreamVersion?

    public init(
        _ code: Code, _ message: String, stream: StreamID? = nil, expected: ExpectedVersion? = nil,
        actual: StreamVersion? = nil
    ) {
        self.code = code
        self.message = message
        self.stream = stream
        self.expected = expected
        self.actual = actual
    }

    /// The conflict error for `stream`.
    public static func wrongExpectedVersion(_ stream: StreamID, expected: ExpectedVersion, actual: StreamVersion) -> Self {
        EventLogError(
            .wrongExpectedVersion, "stream \(stream) is at version \(actual), expected \(expected)",
            stream: stream, expected: expected, actual: actual)
    }

    public var description: String { "\(code): \(message)" }
}
