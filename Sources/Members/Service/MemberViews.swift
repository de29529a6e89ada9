public import EventSourcing

/// API.md's `Me`: the member as the member sees it.
public struct MemberView: Hashable, Sendable {
    public var id: String
    public var username: String
    public var personal: PersonalData
    public var emailVerified: Bool
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
}

/// The public view of a member (`GET /v1/members/{id}`, search).
public struct PublicMember: Hashable, Sendable {
    public var id: String
    public var username: String
    public var displayName: String
    public var gender: PersonalData.Gender
    public var avatarURL: String
    public var createdAt: Timestamp
}

/// A new session's bearer token: shown once, stored only as a hash.
public struct SessionGrant: Hashable, Sendable {
    public var token: String
    public var memberID: String
    public var sessionID: String
    public var expiresAt: Timestamp
}


/// A paged slice of a list.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var page: Int
    public var pageSize: Int
    public var totalRows: Int
}
