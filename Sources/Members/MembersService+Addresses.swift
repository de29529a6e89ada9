public import EventSourcing
public import Verification

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
    public static let maxAddresses = 20

    public func addresses(_ principal: Principal) throws(MemberError) -> [PersonalData.Address] {
        try requireMember(principal).1.addresses
    }

    /// Adds (`id` nil) or replaces an entry. A default entry makes the others of its type non-default.
    public func saveAddress(
        _ principal: Principal, id: String?, _ input: AddressInput, metadata: EventMetadata = .none,
        idempotency: (@Sendable (PersonalData.Address) -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<PersonalData.Address> {
        let validated = try Self.validate(input)
        return try await command(idempotency: idempotency) { now in
            let (member, old) = try requireMember(principal)
            var personal = old
            var random = SystemRandomNumberGenerator()
            var entry = validated
            if let id {
                guard let index = personal.addresses.firstIndex(where: { $0.id == id }) else { throw MemberError.notFound }
                entry.id = id
                personal.addresses[index] = entry
            } else {
                guard personal.addresses.count < Self.maxAddresses else {
                    throw MemberError.invalid(field: "addresses", reason: "At most \(Self.maxAddresses) addresses per member.")
                }
                entry.id = EntityID.make(now: now, random: &random).rawValue
                personal.addresses.append(entry)
            }
            if entry.isDefault {
                for index in personal.addresses.indices where personal.addresses[index].kind == entry.kind && personal.addresses[index].id != entry.id {
                    personal.addresses[index].isDefault = false
                }
            }
            return ([try addressesAppend(member, personal, now: now, metadata: metadata)], entry)
        }
    }

    public func deleteAddress(
        _ principal: Principal, id: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        try await command(idempotency: Self.constant(idempotency)) { now in
            let (member, old) = try requireMember(principal)
            var personal = old
            guard personal.addresses.contains(where: { $0.id == id }) else { throw MemberError.notFound }
            personal.addresses.removeAll { $0.id == id }
            return ([try addressesAppend(member, personal, now: now, metadata: metadata)], ())
        }
    }

    func addressesAppend(_ member: MemberState, _ personal: PersonalData, now: Timestamp, metadata: EventMetadata) throws -> StreamAppend {
        let update = try personalUpdate(personal, memberID: member.id, emailVerified: member.emailVerified)
        return try memberAppend(member, [.addressesChanged(update)], now: now, metadata: metadata)
    }

    static func validate(_ input: AddressInput) throws(MemberError) -> PersonalData.Address {
        guard let kind = PersonalData.Address.Kind(rawValue: input.type) else {
            throw .invalid(field: "type", reason: "type must be none, main_live or main_shipping.")
        }
        let phone = input.phone.trimmingWhitespace
        guard phone.count <= 32, phone.allSatisfy({ $0.isASCII && ($0.isNumber || "+- ()".contains($0)) }) else {
            throw .invalid(field: "phone", reason: "phone must be up to 32 digits, spaces, +, -, ( and ).")
        }
        return PersonalData.Address(
            id: "", fullName: try MemberRules.text(input.fullName.trimmingWhitespace, field: "full_name", max: 64, allowEmpty: false),
            zipCode: try MemberRules.text(input.zipCode.trimmingWhitespace, field: "zip_code", max: 16),
            address: try MemberRules.text(input.address.trimmingWhitespace, field: "address", max: 256, allowEmpty: false),
            phone: phone, kind: kind, isDefault: input.isDefault)
    }
}
