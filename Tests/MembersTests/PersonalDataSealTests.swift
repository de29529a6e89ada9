import Crypto
import EventSourcing
import Testing
@testable import Members

@Suite struct PersonalDataSealTests {
    static let profile = PersonalData.Profile(displayName: "Zhang Weiming", gender: .male, avatarURL: "https://cdn.example.com/zwm.png")
    static let contact = PersonalData.Contact(phone: "+8613712345678", email: "weiming@example.com")
    static let address = PersonalData.Address(
        id: "01KB7Y3Q0000000000000000AC", fullName: "张伟明", zipCode: "100000", address: "北京市朝阳区 1 号", phone: "+8613712345678",
        kind: .mainLive, isDefault: true)

    @Test func eachPartOpensWithTheSameKeyMemberAndPartOnly() throws {
        let seal = PersonalDataSeal(memberID: "m1", key: SymmetricKey(size: .bits256))
        var random = SplitMix64(seed: 1)
        let profile = try seal.seal(Self.profile, random: &random)
        let contact = try seal.seal(Self.contact, random: &random)
        let address = try seal.seal(Self.address, random: &random)
        #expect(seal.profile(profile) == Self.profile)
        #expect(seal.contact(contact) == Self.contact)
        #expect(seal.address(address, id: Self.address.id, kind: .mainLive, isDefault: true) == Self.address)
        // Not as another part, not for another member, not with another key, not tampered.
        #expect(seal.contact(profile) == nil)
        #expect(seal.address(address, id: "01KB7Y3Q0000000000000000AD", kind: .mainLive, isDefault: true) == nil)
        #expect(PersonalDataSeal(memberID: "m2", key: seal.key).profile(profile) == nil)
        #expect(PersonalDataSeal(memberID: "m1", key: SymmetricKey(size: .bits256)).profile(profile) == nil)
        var tampered = profile.bytes
        tampered[20] ^= 0x01
        #expect(seal.profile(SealedPart(bytes: tampered)) == nil)
        #expect(seal.profile(.erased) == nil)
    }

    @Test func sealedBytesHoldNoPlaintext() throws {
        let seal = PersonalDataSeal(memberID: "m1", key: SymmetricKey(size: .bits256))
        var random = SplitMix64(seed: 3)
        let sealed = try seal.seal(Self.profile, random: &random).bytes + seal.seal(Self.contact, random: &random).bytes
            + seal.seal(Self.address, random: &random).bytes
        for secret in [Self.profile.displayName, "+8613712345678", "weiming@example.com", Self.address.address] {
            #expect(!contains(sealed, Array(secret.utf8)))
        }
    }

    @Test func eachSealUsesAFreshNonce() throws {
        let seal = PersonalDataSeal(memberID: "m1", key: SymmetricKey(size: .bits256))
        var random = SystemRandomNumberGenerator()
        let a = try seal.seal(Self.profile, random: &random)
        let b = try seal.seal(Self.profile, random: &random)
        #expect(a != b)
        #expect(Array(a.bytes.prefix(13)) != Array(b.bytes.prefix(13)))
    }

    @Test func aPartIsSmallWhateverElseTheMemberHolds() throws {
        // A profile change seals the profile alone: its size does not grow with addresses.
        let seal = PersonalDataSeal(memberID: "m1", key: SymmetricKey(size: .bits256))
        var random = SplitMix64(seed: 5)
        let part = try seal.seal(Self.profile, random: &random)
        #expect(part.bytes.count < 128)
    }

    @Test func aV1WholeBlobOpensPartByPart() throws {
        // What `.v1` events sealed: the whole personal data, the member id as associated data.
        let key = SymmetricKey(size: .bits256)
        var legacy = PersonalData(profile: Self.profile)
        legacy.contact = Self.contact
        legacy.securityQuestion = "First school?"
        legacy.addresses = [Self.address]
        let box = try AES.GCM.seal(legacyEncoding(legacy), using: key, authenticating: Array("m1".utf8))
        let part = SealedPart(legacy: Array(try #require(box.combined)))
        let seal = PersonalDataSeal(memberID: "m1", key: key)
        #expect(seal.profile(part) == Self.profile)
        #expect(seal.contact(part) == Self.contact)
        #expect(seal.question(part) == "First school?")
        #expect(seal.legacyAddresses(part) == [Self.address])
    }

    @Test func aDestroyedKeyLeavesTheDataUnreadable() async throws {
        let store = InMemoryMemberKeyStore()
        var random = SplitMix64(seed: 4)
        let sealed = try PersonalDataSeal(memberID: "m1", key: try await store.createKey(for: "m1")).seal(Self.profile, random: &random)
        #expect(store.key(for: "m1").flatMap { PersonalDataSeal(memberID: "m1", key: $0).profile(sealed) } == Self.profile)
        try await store.destroyKey(for: "m1")
        #expect(store.key(for: "m1") == nil)
    }
}

/// The whole-data layout `.v1` member events sealed (kept here to write old events in tests).
func legacyEncoding(_ data: PersonalData) -> [UInt8] {
    var w = BinaryWriter()
    w.write(data.displayName); w.write(data.gender.rawValue); w.write(data.avatarURL)
    w.write(data.phone); w.write(data.email); w.write(data.pendingEmail); w.write(data.securityQuestion)
    w.write(UInt64(data.addresses.count))
    for a in data.addresses {
        w.write(a.id); w.write(a.fullName); w.write(a.zipCode); w.write(a.address); w.write(a.phone)
        w.write(a.kind.rawValue); w.write(a.isDefault)
    }
    return w.bytes
}
