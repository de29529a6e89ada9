/// The name of an event stream: `category-id`, for example `verification-7Q2K...`.
///
/// 1 to 255 UTF-8 bytes with no control characters. The category (the part before
/// the first `-`) groups streams of one kind for statistics and filtering.
public struct StreamID: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The largest stream name, in UTF-8 bytes (LMDB keys are limited to 511).
    public static let maxLength = 255

    public let rawValue: String

    /// Validates `rawValue`; nil when it is empty, too long or contains control characters.
    public init?(_ rawValue: String) {
        let utf8 = rawValue.utf8
        guard !utf8.isEmpty, utf8.count <= Self.maxLength, !utf8.contains(where: { $0 < 0x20 || $0 == 0x7F })
        else { return nil }
        self.rawValue = rawValue
    }

    /// A stream in `category` named by `id`.
    public init(category: String, id: String) {
        guard let made = StreamID("\(category)-\(id)") else { preconditionFailure("invalid stream \(category)-\(id)") }
        self = made
    }

    public init(stringLiteral value: String) {
        guard let made = StreamID(value) else { preconditionFailure("invalid stream literal \(value)") }
        self = made
    }

    /// The part before the first `-` (the whole name when there is none).
    public var category: Substring {
        rawValue.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).first ?? Substring(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: StreamID, rhs: StreamID) -> Bool { lhs.rawValue < rhs.rawValue }
}
