public import EventSourcing

extension MemberDecisions {
    /// `PATCH /v1/members/me`, validated: the fields to change.
    public struct ProfileChange: Sendable {
        public var displayName: String?
        public var gender: PersonalData.Gender?
        public var avatarURL: String?

        public init(displayName: String? = nil, gender: PersonalData.Gender? = nil, avatarURL: String? = nil) {
            (self.displayName, self.gender, self.avatarURL) = (displayName, gender, avatarURL)
        }
    }

    /// Seals the changed profile (only the profile part) and moves the display-name claim
    /// when the name changes. `actor` is `member` or `admin`.
    public static func changeProfile<R: RandomNumberGenerator>(
        _ member: MemberState, from old: PersonalData, _ change: ProfileChange, actor: String, in model: MembersReadModel,
        seal: PersonalDataSeal, keys: LookupKeys, now: Timestamp, metadata: EventMetadata, random: inout R
    ) throws -> Decision<PersonalData> {
        var personal = old
        if let name = change.displayName { personal.profile.displayName = name }
        if let gender = change.gender { personal.profile.gender = gender }
        if let url = change.avatarURL { personal.profile.avatarURL = url }
        let event = ProfileUpdated(
            profile: try seal.seal(personal.profile, random: &random), displayNameKey: keys.displayName(personal.displayName), actor: actor)
        var appends = [try memberAppend(member, [.profileUpdated(event)], now: now, metadata: metadata)]
        appends += try claimAppends(
            .displayName, from: member.displayNameKey, to: event.displayNameKey, memberID: member.id, in: model, now: now, metadata: metadata)
        return Decision(appends, personal)
    }

    /// The security question (sealed) with its answer's hash.
    public static func setSecurityQuestion<R: RandomNumberGenerator>(
        _ member: MemberState, question: String, answerHash: String, seal: PersonalDataSeal, now: Timestamp, metadata: EventMetadata,
        random: inout R
    ) throws -> Decision<Void> {
        let event = SecurityQuestionSet(question: try seal.seal(question: question, random: &random), answerHash: Array(answerHash.utf8))
        return Decision([try memberAppend(member, [.securityQuestionSet(event)], now: now, metadata: metadata)], ())
    }

    /// Records the email waiting for its `bind_email` code (the code's own send is another append).
    public static func requestEmailBinding<R: RandomNumberGenerator>(
        _ member: MemberState, contact old: PersonalData.Contact, email: String, verificationKey: EntityID, seal: PersonalDataSeal,
        now: Timestamp, metadata: EventMetadata, random: inout R
    ) throws -> Decision<Void> {
        var contact = old
        contact.pendingEmail = email
        let event = EmailBindingRequested(contact: try seal.seal(contact, random: &random), verificationKey: verificationKey.rawValue)
        return Decision([try memberAppend(member, [.emailBindingRequested(event)], now: now, metadata: metadata)], ())
    }

    /// Binds `email` as the member's verified email (by code, with its consumption, or by an
    /// admin) and moves the email claim.
    public static func bindEmail<R: RandomNumberGenerator>(
        _ member: MemberState, contact old: PersonalData.Contact, email: String, actor: String, consumption: StreamAppend?,
        in model: MembersReadModel, seal: PersonalDataSeal, keys: LookupKeys, now: Timestamp, metadata: EventMetadata, random: inout R
    ) throws -> Decision<PersonalData.Contact> {
        var contact = old
        (contact.email, contact.pendingEmail) = (email, nil)
        let event = EmailBound(contact: try seal.seal(contact, random: &random), emailKey: keys.email(email), actor: actor)
        var appends = [try memberAppend(member, [.emailBound(event)], now: now, metadata: metadata)]
        if let consumption { appends.append(consumption) }
        appends += try claimAppends(.email, from: member.emailKey, to: event.emailKey, memberID: member.id, in: model, now: now, metadata: metadata)
        return Decision(appends, contact)
    }
}
