public import EventSourcing

extension MemberDecisions {
    /// A registration, validated: what `register` decides on.
    public struct Registration: Sendable {
        public var memberID: EntityID
        public var username: String
        public var profile: PersonalData.Profile
        public var phone: String?
        public var email: String?
        public var passwordHash: String
        /// The append using up the phone's `register` code (with a phone).
        public var phoneConsumption: StreamAppend?

        public init(
            memberID: EntityID, username: String, profile: PersonalData.Profile, phone: String?, email: String?, passwordHash: String,
            phoneConsumption: StreamAppend?
        ) {
            (self.memberID, self.username, self.profile, self.phone, self.email) = (memberID, username, profile, phone, email)
            (self.passwordHash, self.phoneConsumption) = (passwordHash, phoneConsumption)
        }
    }

    public struct Registered: Sendable {
        public var me: MemberView
        public var session: SessionGrant
    }

    /// Registers a member and starts its first session: the member's stream (`noStream`),
    /// its username and display-name claims (and the phone's, with its code used up), all
    /// in one atomic request. Taken names refuse (409).
    public static func register<R: RandomNumberGenerator>(
        _ input: Registration, in model: MembersReadModel, seal: PersonalDataSeal, keys: LookupKeys, now: Timestamp,
        metadata: EventMetadata, random: inout R
    ) throws -> Decision<Registered> {
        let id = input.memberID.rawValue
        let contact = PersonalData.Contact(phone: input.phone, email: input.email)
        let hasContact = input.phone != nil || input.email != nil
        let registered = MemberRegistered(
            username: input.username, passwordHash: input.passwordHash, method: input.phone == nil ? "password" : "phone",
            profile: try seal.seal(input.profile, random: &random),
            contact: hasContact ? try seal.seal(contact, random: &random) : nil,
            displayNameKey: keys.displayName(input.profile.displayName), phoneKey: input.phone.map(keys.phone))
        let (grant, session) = newSession(memberID: id, method: "registration", now: now, random: &random)
        var appends = [StreamAppend(
            stream: StreamID(.member, input.memberID), expected: .noStream,
            events: [MemberEvent.registered(registered).newEvent(at: now, metadata: metadata), session.newEvent(at: now, metadata: metadata)])]
        appends += try claimAppends(.username, from: nil, to: input.username.lowercased(), memberID: id, in: model, now: now, metadata: metadata)
        appends += try claimAppends(.displayName, from: nil, to: registered.displayNameKey, memberID: id, in: model, now: now, metadata: metadata)
        if let phoneKey = registered.phoneKey {
            appends += try claimAppends(.phone, from: nil, to: phoneKey, memberID: id, in: model, now: now, metadata: metadata)
            if let consumption = input.phoneConsumption { appends.append(consumption) }
        }
        var personal = PersonalData(profile: input.profile)
        personal.contact = contact
        let me = MemberView(id: id, username: input.username, personal: personal, emailVerified: false, createdAt: now, updatedAt: now)
        return Decision(appends, Registered(me: me, session: grant))
    }
}
