public import EventSourcing

extension MemberDecisions {
    /// An admin sets a new password: every session ends.
    public static func adminSetPassword(_ member: MemberState, hash: String, now: Timestamp, metadata: EventMetadata) throws(MemberError)
        -> Decision<Void>
    {
        let events: [MemberEvent] = [
            .passwordChanged(PasswordChanged(hash: hash, reason: "admin", actor: "admin")),
            .sessionsEnded(SessionsEnded(ids: member.sessions.keys.sorted(), reason: "password_reset")),
        ]
        return Decision([try memberAppend(member, events, now: now, metadata: metadata)], ())
    }

    /// An admin disables the member: sessions end, logins stop, data stays.
    public static func disable(_ member: MemberState, now: Timestamp, metadata: EventMetadata) throws(MemberError) -> Decision<Void> {
        let events: [MemberEvent] = [
            .sessionsEnded(SessionsEnded(ids: member.sessions.keys.sorted(), reason: "disabled")), .disabled(MemberDisabled(actor: "admin")),
        ]
        return Decision([try memberAppend(member, events, now: now, metadata: metadata)], ())
    }

    /// The member deletes the account: sessions end, the display-name, phone and email claims
    /// are released (the username stays reserved). The key is destroyed after this is durable.
    public static func delete(_ member: MemberState, in model: MembersReadModel, now: Timestamp, metadata: EventMetadata) throws(MemberError)
        -> Decision<Void>
    {
        var appends = [try memberAppend(member, [
            .sessionsEnded(SessionsEnded(ids: member.sessions.keys.sorted(), reason: "deleted")), .deleted(MemberDeleted(actor: "member")),
        ], now: now, metadata: metadata)]
        appends += try claimAppends(.displayName, from: member.displayNameKey, to: nil, memberID: member.id, in: model, now: now, metadata: metadata)
        appends += try claimAppends(.phone, from: member.phoneKey, to: nil, memberID: member.id, in: model, now: now, metadata: metadata)
        appends += try claimAppends(.email, from: member.emailKey, to: nil, memberID: member.id, in: model, now: now, metadata: metadata)
        return Decision(appends, ())
    }
}
