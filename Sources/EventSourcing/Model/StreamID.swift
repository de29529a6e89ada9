/// The name of an event stream: `category-id`, for example `verification-7Q2K...`.
///
/// 1 to 255 UTF-8 bytes with no control characters. The category (the part before the
/// first `-`) groups streams of one kind for statistics and filtering; the id is the
/// rest. Names are built in one place each: from a category and an `EntityID` (always
/// valid), or from a category and a key the domain derived (`init?(_:key:)`, nil when
/// the result would be invalid), never by hand.
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

    /// The stream of the entity `id` in `category`: always valid.
    public init(_ category: StreamCategory, _ id: EntityID) {
        rawValue = "\(category.name)-\(id.rawValue)"
        hash = rawValue.hashValue
    }

    /// The stream named by a derived `key` in `category` (a lower-cased username, a keyed
    /// hash); nil when the name would be invalid.
    public init?(_ category: StreamCategory, key: String) {
        self.init("\(category.name)-\(key)")
    }

    public static func == (lhs: StreamID, rhs: StreamID) -> Bool {
        lhs.hash == rhs.hash && lhs.rawValue == rhs.rawValue
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    /// For tests and fixtures: a literal that must be a valid name.
    public init(stringLiteral value: String) {
        guard let made = StreamID(value) else { preconditionFailure("invalid stream literal \(value)") }
        self = made
    }

    /// The part before the first `-` (the whole name when there is none).
    public var category: Substring {
        guard let dash = rawValue.utf8.firstIndex(of: UInt8(ascii: "-")) else { return rawValue[...] }
        return rawValue[..<dash]
    }

    /// The part after the first `-` (empty when there is none).
    public var id: Substring {
        guard let dash = rawValue.utf8.firstIndex(of: UInt8(ascii: "-")) else { return rawValue[rawValue.endIndex...] }
        return rawValue[rawValue.utf8.index(after: dash)...]
    }

    /// Whether the stream is in `category`.
    public func isIn(_ category: StreamCategory) -> Bool { self.category == category.name }

    /// The id as an `EntityID` (nil when it is not one).
    public var entityID: EntityID? { EntityID(id) }

    public var description: String { rawValue }

    public static func < (lhs: StreamID, rhs: StreamID) -> Bool { lhs.rawValue < rhs.rawValue }
}
