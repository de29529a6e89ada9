public import EventSourcing
public import Verification

/// Password resets that cannot be told apart: a real reset (an account matched and its
/// destination is not rate limited) and a decoy take the same steps, write the same event
/// and give the same answers to every probe. The only difference is whether a code exists
/// to match, and nobody but the account's owner can see that.
extension MemberDecisions {
    /// How long a reset (and its code) lives.
    public static let resetTTLSeconds: Int64 = 300

    /// What `POST /v1/password-resets` answers, real or decoy.
    public struct ResetStarted: Hashable, Sendable {
        public var resetID: String
        public var resendAfter: Timestamp
    }

    /// Starts reset `resetID` for `targetKey`: with `send` (a real code's appends, decided
    /// on the verification model) it names the code and the members; with `record` only
    /// (a decoy whose address is known) it counts against the address's limits; with
    /// neither (unknown username, or the address is rate limited) it is a pure decoy. All
    /// three are one atomic append and the same answer.
    public static func startReset(
        resetID: EntityID, targetKey: String, send: SendDecision?, record: StreamAppend?, memberIDs: [String], resendAfter: Timestamp,
        now: Timestamp, metadata: EventMetadata
    ) -> Decision<ResetStarted> {
        let request = ResetRequested(
            targetKey: targetKey, verificationKey: send?.key.rawValue, memberIDs: send == nil ? [] : memberIDs,
            expiresAt: now.adding(seconds: resetTTLSeconds))
        var appends = (send?.appends ?? []) + (record.map { [$0] } ?? [])
        appends.append(StreamAppend(
            stream: MemberStreams.reset(resetID), expected: .noStream,
            events: [MemberEvent.resetRequested(request).newEvent(at: now, metadata: metadata)]))
        appends = appends.map { $0.stamped(metadata) }
        return Decision(appends, ResetStarted(resetID: resetID.rawValue, resendAfter: resendAfter))
    }

    /// The reset a confirmation may go on with at `now`, or the refusal every reset gives
    /// alike: unknown or completed 404, replaced by a newer one 410 `canceled`, expired 410,
    /// out of attempts 429.
    public static func usableReset(_ reset: MembersReadModel.ResetState?, now: Timestamp) throws(MemberError) -> MembersReadModel.ResetState {
        guard let reset, !reset.completed else { throw .notFound }
        if reset.canceled { throw .canceled }
        guard now < reset.request.expiresAt else { throw .expired }
        guard reset.attemptsLeft > 0 else { throw .tooManyAttempts }
        return reset
    }

    /// A wrong code for a reset: one attempt fewer (the answer is 422 with what is left).
    public static func resetCodeWrong(resetID: EntityID, _ reset: MembersReadModel.ResetState, now: Timestamp, metadata: EventMetadata)
        -> Decision<Int>
    {
        let left = reset.attemptsLeft - 1
        let append = StreamAppend(
            stream: MemberStreams.reset(resetID), expected: .exactly(reset.version),
            events: [MemberEvent.resetCheckFailed(ResetCheckFailed(attemptsLeft: left)).newEvent(at: now, metadata: metadata)])
        return Decision([append], left)
    }

    /// The right code: the new password for `member`, every session ended, the code used
    /// up (`approval`) and the reset completed, in one append.
    public static func completeReset(
        resetID: EntityID, _ reset: MembersReadModel.ResetState, member: MemberState, newHash: String, approval: StreamAppend,
        now: Timestamp, metadata: EventMetadata
    ) throws(MemberError) -> Decision<Void> {
        let events: [MemberEvent] = [
            .passwordChanged(PasswordChanged(hash: newHash, reason: "reset", actor: "member")),
            .sessionsEnded(SessionsEnded(ids: member.sessions.keys.sorted(), reason: "password_reset")),
        ]
        let completed = StreamAppend(
            stream: MemberStreams.reset(resetID), expected: .exactly(reset.version),
            events: [MemberEvent.resetCompleted(ResetCompleted(memberID: member.id)).newEvent(at: now, metadata: metadata)])
        return Decision([approval.stamped(metadata), completed, try memberAppend(member, events, now: now, metadata: metadata)], ())
    }
}
