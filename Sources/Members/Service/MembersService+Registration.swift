import HashTreeCollections
public import EventSourcing
import Verification

extension MembersService {
    /// `POST /v1/members`, as the client sent it.
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

    public typealias Registered = MemberDecisions.Registered

    /// Registers a member and starts its first session. With a phone, the key must be
    /// approved for `register` on that phone; it is used up in the same append.
    public func register(
        _ input: Registration, client: String = "", metadata: EventMetadata = .none,
        idempotency: (@Sendable (Registered) throws -> IdempotencyRecord)? = nil
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
        // Refuse what is already taken before the slow hash (the append checks again).
        let before = model
        try MemberDecisions.requireRoom(.username, in: before.claim(.username, username.lowercased()))
        try MemberDecisions.requireRoom(.displayName, in: before.claim(.displayName, lookup.displayName(displayName)))
        if let phone, let key = input.phoneVerificationKey { _ = try phoneConsumption(key: key, phone: phone, operation: "register", purpose: "") }

        let hash = try await hashPassword(input.password, client: client)
        var random = SystemRandomNumberGenerator()
        let memberID = EntityID.make(now: clock(), random: &random)
        let key = try await keys.createKey(for: memberID.rawValue)
        let seal = PersonalDataSeal(memberID: memberID.rawValue, key: key)
        do {
            let result: CommandResult<Registered> = try await command(idempotency: idempotency) { model, now in
                var random = SystemRandomNumberGenerator()
                let consumption = try phone.flatMap { phone in
                    try input.phoneVerificationKey.map { key in
                        try phoneConsumption(key: key, phone: phone, operation: "register", purpose: "register:\(memberID)").stamped(metadata)
                    }
                }
                let registration = MemberDecisions.Registration(
                    memberID: memberID, username: username, profile: PersonalData.Profile(displayName: displayName), phone: phone,
                    email: email, passwordHash: hash.encoded, phoneConsumption: consumption)
                return try MemberDecisions.register(
                    registration, in: model, seal: seal, keys: lookup, now: now, metadata: metadata, random: &random)
            }
            switch result {
            case .done(let registered): search.set(registered.me.id, username: username, displayName: displayName)
            case .replayed: try? await keys.destroyKey(for: memberID.rawValue)
            }
            return result
        } catch {
            // Nothing was appended: the new key protects nothing, so it goes.
            try? await keys.destroyKey(for: memberID.rawValue)
            throw error
        }
    }

    /// Whether a display name could be taken now (seed 003 ValidateDisplayName).
    public func displayNameAvailability(_ raw: String) -> (available: Bool, reason: String?) {
        do {
            let name = try MemberRules.displayName(raw)
            return model.claim(.displayName, lookup.displayName(name)).holders.isEmpty ? (true, nil) : (false, "taken")
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

    /// Puts `memberID` in the search index as it is now (or takes it out when it is gone).
    func reindex(_ memberID: String) {
        guard let member = activeMember(memberID), let personal = cache.open(member, keys: keys) else {
            return search.remove(memberID)
        }
        search.set(memberID, username: member.username, displayName: personal.displayName)
    }
}
