/// The name of an event stream: `category-id`, for example `verification-7Q2K...`.
///
/// 1 to 255 UTF-8 bytes with no control characters. The category (the part before
/// the first `-`) groups streams of one kind for statistics and filtering.
public struct StreamID: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The largest stream name, in UTF-8 bytes (LMDB keys are limited to 511).
    public static let maxLength = 255

    public let rawValue: String
    /// The name's hash, computed once: stream ids are dictionary keys on the commit path.
    private let hash: Int

    /// Validates `rawValue`; nil when it is empty, too long or contains control characters.
    public init?(_ rawValue: String) {
        var name = rawValue
        let valid = name.withUTF8 { bytes in
            guard !bytes.isEmpty, bytes.count <= Self.maxLength else { return false }
            for byte in bytes where byte < 0x20 || byte == 0x7F { return false }
            return true
        }
        guard valid else { return nil }
        self.rawValue = name
        self.hash = name.hashValue
    }

    public static func == (lhs: StreamID, rhs: StreamID) -> Bool {
        lhs.hash == rhs.hash && lhs.rawValue == rhs.rawValue
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }

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
        guard let dash = rawValue.utf8.firstIndex(of: UInt8(ascii: "-")) else { return rawValue[...] }
        return rawValue[..<dash]
    }

    public var description: String { rawValue }

    public static func < (lhs: StreamID, rhs: StreamID) -> Bool { lhs.rawValue < rhs.rawValue }
}
