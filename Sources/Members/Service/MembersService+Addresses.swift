public import EventSourcing
import Verification

extension MembersService {
    /// An address-book entry as a client sends it (seed 003 `AddressBook`).
    public struct AddressInput: Sendable {
        public var fullName: String
        public var zipCode: String
        public var address: String
        public var phone: String
        public var type: String
        public var isDefault: Bool
        public init(fullName: String, zipCode: String, address: String, phone: String, type: String, isDefault: Bool) {
            (self.fullName, self.zipCode, self.address, self.phone, self.type, self.isDefault) = (fullName, zipCode, address, phone, type, isDefault)
        }
    }

    /// At most this many entries per member.
    public static let maxAddresses = MemberState.maxAddresses

    public func addresses(_ principal: Principal) throws(MemberError) -> [PersonalData.Address] {
        try requireMember(principal).1.addresses
    }

    /// Adds (`id` nil) or replaces an entry. A default entry makes the others of its type non-default.
    public func saveAddress(
        _ principal: Principal, id: String?, _ input: AddressInput, metadata: EventMetadata = .none,
        idempotency: (@Sendable (PersonalData.Address) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<PersonalData.Address> {
        let validated = try MemberRules.address(input)
        let seal = try seal(for: principal.memberID)
        return try await command(idempotency: idempotency) { _, now in
            let (member, personal) = try requireMember(principal)
            var random = SystemRandomNumberGenerator()
            let newID = EntityID.make(now: now, random: &random)
            return try MemberDecisions.saveAddress(
                member, book: personal.addresses, id: id, newID: newID, validated, seal: seal, now: now, metadata: metadata, random: &random)
        }
    }

    public func deleteAddress(
        _ principal: Principal, id: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        let seal = try seal(for: principal.memberID)
        return try await command(idempotency: IdempotencyRecord.constant(idempotency)) { _, now in
            let (member, personal) = try requireMember(principal)
            var random = SystemRandomNumberGenerator()
            return try MemberDecisions.removeAddress(member, book: personal.addresses, id: id, seal: seal, now: now, metadata: metadata, random: &random)
        }
    }
}
