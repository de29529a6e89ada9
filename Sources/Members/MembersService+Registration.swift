public import EventSourcing
public import Verification

extension MembersService {
    /// `POST /v1/members`.
    public struct Registration: Sendable {
        public var username: String
        public var password: String
        public var displayName: String
        public var phone: String?
        public var phoneVerificationKey: String?
        public var email: String?

        public init(
            username: String, password: String, displayName: String, phone: String? = nil,
            phoneVerificationKey: String? = nil, email: String? = nil
        ) {
            (self.username, self.password, self.displayName) = (username, password, displayName)
            (self.phone, self.phoneVerificationKey, self.email) = (phone, phoneVerificationKey, email)
        }
    }

    public struct Registered: Sendable {
        public var me: MemberView
        public var session: SessionGrant
    }

    /// Registers a member and starts its first session. With a phone, the key must be
    /// approved for `register` on that phone; it is used up in the same append.
    public func register(
        _ input: Registration, metadata: EventMetadata = .none, idempotency: (@Sendable (Registered) -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<Registered> {
        let username = try MemberRules.username(input.username)
        let displayName = try MemberRules.displayName(input.displayName)
        let phone = try input.phone.map { (raw) throws(MemberError) in try MemberRules.phone(raw) }
        let email = try input.email.map { (raw) throws(MemberError) in try MemberRules.email(raw) }
        try MemberRules.password(input.password, username: username, displayName: displayName)
        if phone != nil && input.phoneVerificationKey == nil { throw MemberError.verificationRequired }
        if phone == nil && input.phoneVerificationKey != nil {
            throw MemberError.invalid(field: "phone", reason: "phone_verification_key needs the phone it was sent to.")
        }
        var personal = PersonalData(displayName: displayName)
        (personal.phone, personal.email) = (phone, email)
        // Refuse what is already taken before the slow hash (the append checks again).
        try requireRoom(.username, username.lowercased())
        try requireRoom(.displayName, displayNameKey(displayName))
        if let phone, let key = input.phoneVerificationKey { _ = try phoneConsumption(key: key, phone: phone, operation: "register", purpose: "") }

        let hash = try await hashPassword(input.password)
        var random = SystemRandomNumberGenerator()
        let memberID = EntityID.make(now: clock(), random: &random).rawValue
        _ = try await keys.createKey(for: memberID)
        do {
            let result = try await appendRegistration(
                memberID: memberID, username: username, hash: hash, personal: personal, phoneKey: input.phoneVerificationKey,
                metadata: metadata, idempotency: idempotency)
            if case .replayed = result { try? await keys.destroyKey(for: memberID) }
            return result
        } catch {
            // Nothing was appended: the new key protects nothing, so it goes.
            try? await keys.destroyKey(for: memberID)
            throw error
        }
    }

    private func appendRegistration(
        memberID: String, username: String, hash: PasswordHash, personal: PersonalData, phoneKey key: String?,
        metadata: EventMetadata, idempotency: (@Sendable (Registered) -> IdempotencyRecord)?
    ) async throws -> CommandResult<Registered> {
        let update = try personalUpdate(personal, memberID: memberID, emailVerified: false)
        let phone = personal.phone
        return try await command(idempotency: idempotency) { now in
            let (grant, session) = newSession(memberID: memberID, method: "registration", now: now)
            let registered = MemberEvent.registered(.init(
                username: username, passwordHash: hash.encoded, personal: update, method: phone == nil ? "password" : "phone"))
            var appends = [StreamAppend(
                stream: try MemberStreams.member(memberID), expected: .noStream,
                events: [registered.newEvent(at: now, metadata: metadata), session.newEvent(at: now, metadata: metadata)])]
            appends += try claimAppends(.username, from: nil, to: username.lowercased(), memberID: memberID, now: now, metadata: metadata)
            appends += try claimAppends(.displayName, from: nil, to: update.displayNameKey, memberID: memberID, now: now, metadata: metadata)
            if let phoneKey = update.phoneKey, let phone, let key {
                appends += try claimAppends(.phone, from: nil, to: phoneKey, memberID: memberID, now: now, metadata: metadata)
                appends.append(try phoneConsumption(key: key, phone: phone, operation: "register", purpose: "register:\(memberID)").with(metadata: metadata))
            }
            let me = MemberView(id: memberID, username: username, personal: personal, emailVerified: false, createdAt: now, updatedAt: now)
            return (appends, Registered(me: me, session: grant))
        }
    }

    /// Whether a display name could be taken now (seed 003 ValidateDisplayName).
    public func displayNameAvailability(_ raw: String) -> (available: Bool, reason: String?) {
        do {
            let name = try MemberRules.displayName(raw)
            return claim(.displayName, displayNameKey(name)).holders.isEmpty ? (true, nil) : (false, "taken")
        } catch {
            if case .invalid(_, let reason) = error { return (false, reason) }
            return (false, "invalid")
        }
    }

    /// The append that uses up a code approved for `operation` on `phone` (sms or call).
    func phoneConsumption(key: String, phone: String, operation: String, purpose: String) throws(MemberError) -> StreamAppend {
        let destinations = [Destination.Channel.sms, .call].compactMap { Destination(channel: $0, raw: phone) }
        guard let key = EntityID(key) else { throw .verificationRequired }
        do {
            return try verifications.consumption(key: key, operation: operation, destinations: destinations, purpose: purpose, now: clock())
        } catch {
            throw .verificationRequired
        }
    }
}
