public import EventSourcing

/// What a member decision produced: the appends to make atomically and the answer to give
/// once they are durable. A command with nothing to do decides no appends.
public struct Decision<Answer: Sendable>: Sendable {
    public var appends: [StreamAppend]
    public var answer: Answer

    public init(_ appends: [StreamAppend], _ answer: Answer) {
        self.appends = appends
        self.answer = answer
    }
}

/// The member decisions: pure functions of a command, the read model as it stands, the
/// time and a random source (plus values the service computed by I/O first: a password
/// hash, the member's sealing key). Tested without a log or HTTP; the service only reads
/// the model, does the I/O, calls one of these and appends.
public enum MemberDecisions {
    /// The append of `events` to the member's stream at its version.
    static func memberAppend(_ member: MemberState, _ events: [MemberEvent], now: Timestamp, metadata: EventMetadata)
        throws(MemberError) -> StreamAppend
    {
        StreamAppend(
            stream: try MemberStreams.member(member.id), expected: .exactly(member.version),
            events: events.map { $0.newEvent(at: now, metadata: metadata) })
    }

    /// A new session for `memberID`: the token (shown once) and its event.
    static func newSession<R: RandomNumberGenerator>(memberID: String, method: String, now: Timestamp, random: inout R)
        -> (SessionGrant, MemberEvent)
    {
        let token = SessionToken.make(random: &random)
        let id = EntityID.make(now: now, random: &random).rawValue
        let expiresAt = now.adding(seconds: SessionToken.lifetimeSeconds)
        let grant = SessionGrant(token: token, memberID: memberID, sessionID: id, expiresAt: expiresAt)
        return (grant, .sessionStarted(SessionStarted(id: id, tokenHash: SessionToken.hash(token), expiresAt: expiresAt, method: method)))
    }

    /// A new session for `member`, ending the oldest ones first when it is at `MemberState.maxSessions`.
    static func newSession<R: RandomNumberGenerator>(for member: MemberState, method: String, now: Timestamp, random: inout R)
        -> (SessionGrant, [MemberEvent])
    {
        let (grant, started) = newSession(memberID: member.id, method: method, now: now, random: &random)
        let oldest = member.sessionsToEndForANewOne
        return (grant, oldest.isEmpty ? [started] : [.sessionsEnded(SessionsEnded(ids: oldest, reason: "session_limit")), started])
    }

    /// The appends that move `memberID`'s claim of `kind` from `old` to `new` (either may be
    /// nil). Each claim stream is appended at the version the model shows, so of two
    /// commands taking one name at once, one fails its expected version, retries, and
    /// finds it taken.
    static func claimAppends(
        _ kind: ClaimKind, from old: String?, to new: String?, memberID: String, in model: MembersReadModel, now: Timestamp,
        metadata: EventMetadata
    ) throws(MemberError) -> [StreamAppend] {
        guard old != new else { return [] }
        var appends: [StreamAppend] = []
        if let old, !old.isEmpty {
            let state = model.claim(kind, old)
            if state.holders.contains(memberID) {
                appends.append(StreamAppend(
                    stream: try MemberStreams.claim(kind, old), expected: .exactly(state.version),
                    events: [MemberEvent.claimReleased(ClaimReleased(memberID: memberID)).newEvent(at: now, metadata: metadata)]))
            }
        }
        if let new {
            let state = model.claim(kind, new)
            guard !state.holders.contains(memberID) else { return appends }
            try requireRoom(kind, in: state)
            appends.append(StreamAppend(
                stream: try MemberStreams.claim(kind, new), expected: .exactly(state.version),
                events: [MemberEvent.claimTaken(ClaimTaken(memberID: memberID)).newEvent(at: now, metadata: metadata)]))
        }
        return appends
    }

    /// Throws the error of `kind` when a claim has no room for another member.
    static func requireRoom(_ kind: ClaimKind, in state: ClaimState) throws(MemberError) {
        guard state.holders.count >= kind.limit else { return }
        switch kind {
        case .username: throw .usernameTaken
        case .displayName: throw .displayNameTaken
        case .phone: throw .phoneMemberLimit
        case .email: throw .invalid(field: "email", reason: "Too many members have bound this email.")
        }
    }

    /// The active member `id` (not disabled, not deleted).
    static func activeMember(_ id: String, in model: MembersReadModel) throws(MemberError) -> MemberState {
        guard let member = model.member(id), member.status == .active else { throw .unauthenticated }
        return member
    }
}
