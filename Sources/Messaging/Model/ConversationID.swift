public import EventSourcing

/// A conversation's id: `d.<member>.<member>` for a direct pair (the two ids sorted, so
/// either side writing first names the same conversation) or `g.<group>` for a group.
public struct ConversationID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable { case direct, group }

    public let rawValue: String

    /// The direct conversation of `a` and `b`, whichever writes.
    public static func direct(_ a: EntityID, _ b: EntityID) -> ConversationID {
        let (low, high) = a < b ? (a, b) : (b, a)
        return ConversationID(unchecked: "d.\(low.rawValue).\(high.rawValue)")
    }

    /// A group's conversation.
    public static func group(_ id: EntityID) -> ConversationID { ConversationID(unchecked: "g.\(id.rawValue)") }

    /// Parses an id from a path or a stream; nil for anything that is not one.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        switch (parts.first, parts.count) {
        case ("d"?, 3):
            guard let a = EntityID(parts[1]), let b = EntityID(parts[2]), a < b else { return nil }
        case ("g"?, 2):
            guard EntityID(parts[1]) != nil else { return nil }
        default:
            return nil
        }
        rawValue = String(text)
    }

    private init(unchecked: String) { rawValue = unchecked }

    public var kind: Kind { rawValue.hasPrefix("d.") ? .direct : .group }

    /// The two members of a direct conversation (empty for a group).
    public var pair: [String] {
        guard kind == .direct else { return [] }
        return rawValue.split(separator: ".").dropFirst().map(String.init)
    }

    /// The group of a group conversation.
    public var groupID: String? { kind == .group ? String(rawValue.dropFirst(2)) : nil }

    /// The other member of a direct conversation, seen from `memberID`.
    public func peer(of memberID: String) -> String? { pair.first { $0 != memberID } }

    public var description: String { rawValue }
    public static func < (lhs: ConversationID, rhs: ConversationID) -> Bool { lhs.rawValue < rhs.rawValue }
}
