public import EventSourcing

/// Stream names of the members domain.
public enum MemberStreams {
    public static func member(_ id: String) -> StreamID { StreamID(category: "member", id: id) }
    public static func claim(_ kind: ClaimKind, _ key: String) -> StreamID { StreamID(category: kind.rawValue, id: key) }
    public static func reset(_ id: String) -> StreamID { StreamID(category: "passwordreset", id: id) }
}

/// What a claim stream reserves. Each claim is a stream, so two concurrent commands
/// taking the same name race on one expected version and only one can win.
public enum ClaimKind: String, Hashable, Sendable, CaseIterable {
    /// A username (lower-cased, plaintext: it is an account name, not personal data).
    case username
    /// A display name (keyed hash of its lower-cased form).
    case displayName = "displayname"
    /// The members of a phone (keyed hash of the E.164 number), at most 5.
    case phone
    /// The members that bound an email (keyed hash), for password resets by email.
    case email

    /// How many members may hold one claim at once.
    public var limit: Int {
        switch self {
        case .username, .displayName: 1
        case .phone: 5
        case .email: 20
        }
    }
}

/// The holders of one claim stream and its version.
public struct ClaimState: Hashable, Sendable {
    public var holders: [String] = []
    public var version: StreamVersion = 0

    public init() {}
}
