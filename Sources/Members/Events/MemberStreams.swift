public import EventSourcing

/// Stream names of the members domain, built here and nowhere else.
public enum MemberStreams {
    /// `member-<id>`; not found when `id` is not an entity id.
    public static func member(_ id: String) throws(MemberError) -> StreamID {
        guard let entity = EntityID(id) else { throw .notFound }
        return StreamID(.member, entity)
    }

    /// `<kind>-<key>`; invalid when the key cannot name a stream.
    public static func claim(_ kind: ClaimKind, _ key: String) throws(MemberError) -> StreamID {
        guard let stream = StreamID(kind.category, key: key) else { throw .invalid(field: kind.rawValue, reason: "\(kind.rawValue) is invalid.") }
        return stream
    }

    public static func reset(_ id: EntityID) -> StreamID { StreamID(.passwordReset, id) }
}

extension StreamCategory {
    /// `member-<id>`: one member's life.
    public static let member = StreamCategory("member")
    /// `passwordreset-<id>`: one password reset.
    public static let passwordReset = StreamCategory("passwordreset")
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

    /// The category of this kind's claim streams.
    public var category: StreamCategory {
        switch self {
        case .username: StreamCategory("username")
        case .displayName: StreamCategory("displayname")
        case .phone: StreamCategory("phone")
        case .email: StreamCategory("email")
        }
    }

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
