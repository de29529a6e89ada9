import EventSourcing

extension MembersService {
    func claim(_ kind: ClaimKind, _ key: String) -> ClaimState { members.read { model, _ in model.claim(kind, key) } }

    /// The appends that move `memberID`'s claim of `kind` from `old` to `new` (either may be
    /// nil). Each claim stream is appended at the version read, so of two commands taking
    /// the same name at once one fails its expected version, retries, and finds it taken.
    func claimAppends(
        _ kind: ClaimKind, from old: String?, to new: String?, memberID: String, now: Timestamp, metadata: EventMetadata
    ) throws(MemberError) -> [StreamAppend] {
        guard old != new else { return [] }
        var appends: [StreamAppend] = []
        if let old {
            let state = claim(kind, old)
            if state.holders.contains(memberID) {
                appends.append(StreamAppend(
                    stream: try MemberStreams.claim(kind, old), expected: .exactly(state.version),
                    events: [MemberEvent.claimReleased(memberID: memberID).newEvent(at: now, metadata: metadata)]))
            }
        }
        if let new {
            let state = claim(kind, new)
            guard !state.holders.contains(memberID) else { return appends }
            try requireRoom(kind, in: state)
            appends.append(StreamAppend(
                stream: try MemberStreams.claim(kind, new), expected: .exactly(state.version),
                events: [MemberEvent.claimTaken(memberID: memberID).newEvent(at: now, metadata: metadata)]))
        }
        return appends
    }

    /// Throws the error of `kind` when its claim `key` has no room for another member.
    func requireRoom(_ kind: ClaimKind, _ key: String) throws(MemberError) { try requireRoom(kind, in: claim(kind, key)) }

    private func requireRoom(_ kind: ClaimKind, in state: ClaimState) throws(MemberError) {
        guard state.holders.count >= kind.limit else { return }
        switch kind {
        case .username: throw .usernameTaken
        case .displayName: throw .displayNameTaken
        case .phone: throw .phoneMemberLimit
        case .email: throw .invalid(field: "email", reason: "Too many members have bound this email.")
        }
    }

    /// Active members holding a claim, with their display names (for choosing among a phone's members).
    func holders(_ kind: ClaimKind, _ key: String) -> [(MemberState, PersonalData)] {
        claim(kind, key).holders.compactMap { id in
            guard let member = activeMember(id), let personal = cache.open(member, keys: keys) else { return nil }
            return (member, personal)
        }
    }
}
