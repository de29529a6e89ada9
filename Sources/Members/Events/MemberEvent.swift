public import EventSourcing

/// Everything that happens to members, their sessions, their unique names and password
/// resets: the members domain's events, each declared once in its own `EventPayload`.
///
/// No event holds a plaintext password, token, code or security answer (only hashes),
/// and personal data only as `SealedPart`s under the member's key.
public enum MemberEvent: Hashable, Sendable {
    // On `member-<id>`:
    case registered(MemberRegistered)
    case profileUpdated(ProfileUpdated)
    case emailBindingRequested(EmailBindingRequested)
    case emailBound(EmailBound)
    case securityQuestionSet(SecurityQuestionSet)
    case addressSaved(AddressSaved)
    case addressRemoved(AddressRemoved)
    case legacyAddressesChanged(LegacyAddressesChanged)
    case addressBookMigrated(AddressBookMigrated)
    case passwordChanged(PasswordChanged)
    case sessionStarted(SessionStarted)
    case sessionsEnded(SessionsEnded)
    case loginFailed(LoginFailed)
    case disabled(MemberDisabled)
    case deleted(MemberDeleted)
    // On claim streams:
    case claimTaken(ClaimTaken)
    case claimReleased(ClaimReleased)
    // On `passwordreset-<id>`:
    case resetRequested(ResetRequested)
    case resetCheckFailed(ResetCheckFailed)
    case resetCompleted(ResetCompleted)

    /// The domain's codec: every type string (current and older) tied to its case.
    public static let codec = EventCodec<MemberEvent>(
        categories: [.member, .passwordReset] + ClaimKind.allCases.map(\.category),
        [
            .case(MemberRegistered.self, MemberEvent.registered),
            .case(ProfileUpdated.self, MemberEvent.profileUpdated),
            .case(EmailBindingRequested.self, MemberEvent.emailBindingRequested),
            .case(EmailBound.self, MemberEvent.emailBound),
            .case(SecurityQuestionSet.self, MemberEvent.securityQuestionSet),
            .case(AddressSaved.self, MemberEvent.addressSaved),
            .case(AddressRemoved.self, MemberEvent.addressRemoved),
            .case(LegacyAddressesChanged.self, MemberEvent.legacyAddressesChanged),
            .case(AddressBookMigrated.self, MemberEvent.addressBookMigrated),
            .case(PasswordChanged.self, MemberEvent.passwordChanged),
            .case(SessionStarted.self, MemberEvent.sessionStarted),
            .case(SessionsEnded.self, MemberEvent.sessionsEnded),
            .case(LoginFailed.self, MemberEvent.loginFailed),
            .case(MemberDisabled.self, MemberEvent.disabled),
            .case(MemberDeleted.self, MemberEvent.deleted),
            .case(ClaimTaken.self, MemberEvent.claimTaken),
            .case(ClaimReleased.self, MemberEvent.claimReleased),
            .case(ResetRequested.self, MemberEvent.resetRequested),
            .case(ResetCheckFailed.self, MemberEvent.resetCheckFailed),
            .case(ResetCompleted.self, MemberEvent.resetCompleted),
        ])

    /// The event's payload value.
    public var payload: any EventPayload {
        switch self {
        case .registered(let e): e
        case .profileUpdated(let e): e
        case .emailBindingRequested(let e): e
        case .emailBound(let e): e
        case .securityQuestionSet(let e): e
        case .addressSaved(let e): e
        case .addressRemoved(let e): e
        case .legacyAddressesChanged(let e): e
        case .addressBookMigrated(let e): e
        case .passwordChanged(let e): e
        case .sessionStarted(let e): e
        case .sessionsEnded(let e): e
        case .loginFailed(let e): e
        case .disabled(let e): e
        case .deleted(let e): e
        case .claimTaken(let e): e
        case .claimReleased(let e): e
        case .resetRequested(let e): e
        case .resetCheckFailed(let e): e
        case .resetCompleted(let e): e
        }
    }

    /// This event as a `NewEvent` at `time`.
    public func newEvent(at time: Timestamp, metadata: EventMetadata = .none) -> NewEvent {
        payload.newEvent(at: time, metadata: metadata)
    }

    /// Decodes a recorded event: nil for other domains' events; throws for an event of
    /// this domain that does not decode.
    public init?(_ event: RecordedEvent) throws {
        guard let decoded = try Self.codec.decode(event) else { return nil }
        self = decoded
    }
}
