public import EventSourcing

extension MemberDecisions {
    /// A login whose password (or phone code) was checked: a new session for `member`, if
    /// it is still active with the password hash the check was made against.
    public static func startSession<R: RandomNumberGenerator>(
        for memberID: String, checkedHash: String?, method: String, in model: MembersReadModel, extra: [StreamAppend] = [],
        now: Timestamp, metadata: EventMetadata, random: inout R
    ) throws(MemberError) -> Decision<SessionGrant> {
        guard let member = model.member(memberID), member.status == .active else { throw .invalidCredentials }
        if let checkedHash, member.passwordHash != checkedHash { throw .invalidCredentials }
        let (grant, events) = newSession(for: member, method: method, now: now, random: &random)
        return Decision(extra + [try memberAppend(member, events, now: now, metadata: metadata)], grant)
    }

    /// A wrong password for `memberID` (counts towards its lockout).
    public static func loginFailed(_ memberID: String, now: Timestamp, metadata: EventMetadata) throws(MemberError) -> StreamAppend {
        StreamAppend(
            stream: try MemberStreams.member(memberID), expected: .any,
            events: [MemberEvent.loginFailed(LoginFailed()).newEvent(at: now, metadata: metadata)])
    }

    /// Ends the caller's session.
    public static func logout(_ principal: Principal, in model: MembersReadModel, now: Timestamp, metadata: EventMetadata)
        throws(MemberError) -> Decision<Void>
    {
        let member = try activeMember(principal.memberID, in: model)
        guard member.sessions[principal.sessionID] != nil else { throw .unauthenticated }
        let ended = MemberEvent.sessionsEnded(SessionsEnded(ids: [principal.sessionID], reason: "logout"))
        return Decision([try memberAppend(member, [ended], now: now, metadata: metadata)], ())
    }

    /// A new password for the member (checked against `checkedHash`, the hash its current
    /// password was verified against): every session ends and the caller gets a new one.
    public static func changePassword<R: RandomNumberGenerator>(
        _ principal: Principal, checkedHash: String, newHash: String, in model: MembersReadModel, now: Timestamp,
        metadata: EventMetadata, random: inout R
    ) throws(MemberError) -> Decision<SessionGrant> {
        let member = try activeMember(principal.memberID, in: model)
        guard member.passwordHash == checkedHash else { throw .invalidCredentials }
        let (grant, session) = newSession(memberID: member.id, method: "password_change", now: now, random: &random)
        let events: [MemberEvent] = [
            .passwordChanged(PasswordChanged(hash: newHash, reason: "changed", actor: "member")),
            .sessionsEnded(SessionsEnded(ids: member.sessions.keys.sorted(), reason: "password_changed")), session,
        ]
        return Decision([try memberAppend(member, events, now: now, metadata: metadata)], grant)
    }
}
