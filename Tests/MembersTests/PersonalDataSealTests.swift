import Crypto
import Members
import Testing

@Suite struct PersonalDataSealTests {
    static var sample: PersonalData {
        var data = PersonalData(displayName: "Zhang Weiming")
        data.gender = .male
        data.avatarURL = "https://cdn.example.com/zwm.png"
        data.phone = "+8613712345678"
        data.email = "weiming@example.com"
        data.securityQuestion = "First school?"
        data.addresses = [
            .init(id: "a1", fullName: "张伟明", zipCode: "100000", address: "北京市朝阳区 1 号", phone: "+8613712345678", kind: .mainLive, isDefault: true),
            .init(id: "a2", fullName: "W. Zhang", zipCode: "", address: "Box 9", phone: "", kind: .none, isDefault: false),
        ]
        return data
    }

    @Test func sealedDataOpensWithTheSameKeyAndMember() throws {
        let key = SymmetricKey(size: .bits256)
        var random = SplitMix64(seed: 1)
        let sealed = try PersonalDataSeal.seal(Self.sample, memberID: "m1", key: key, random: &random)
        #expect(PersonalDataSeal.open(sealed, memberID: "m1", key: key) == Self.sample)
    }

    @Test func sealedDataDoesNotOpenWithAnotherKeyOrMember() throws {
        let key = SymmetricKey(size: .bits256)
        var random = SplitMix64(seed: 2)
        let sealed = try PersonalDataSeal.seal(Self.sample, memberID: "m1", key: key, random: &random)
        #expect(PersonalDataSeal.open(sealed, memberID: "m1", key: SymmetricKey(size: .bits256)) == nil)
        #expect(PersonalDataSeal.open(sealed, memberID: "m2", key: key) == nil)
        var tampered = sealed
        tampered[20] ^= 0x01
        #expect(PersonalDataSeal.open(tampered, memberID: "m1", key: key) == nil)
        #expect(PersonalDataSeal.open(Array(sealed.dropLast()), memberID: "m1", key: key) == nil)
        #expect(PersonalDataSeal.open([], memberID: "m1", key: key) == nil)
    }

    @Test func sealedBytesHoldNoPlaintext() throws {
        let data = Self.sample
        let secrets = [data.displayName, data.phone!, data.email!, data.addresses[0].address]
        for secret in secrets { #expect(contains(data.encoded, Array(secret.utf8))) }
        var random = SplitMix64(seed: 3)
        let sealed = try PersonalDataSeal.seal(data, memberID: "m1", key: SymmetricKey(size: .bits256), random: &random)
        for secret in secrets { #expect(!contains(sealed, Array(secret.utf8))) }
    }

    @Test func eachSealUsesAFreshNonce() throws {
        let key = SymmetricKey(size: .bits256)
        var random = SystemRandomNumberGenerator()
        let a = try PersonalDataSeal.seal(Self.sample, memberID: "m1", key: key, random: &random)
        let b = try PersonalDataSeal.seal(Self.sample, memberID: "m1", key: key, random: &random)
        #expect(a != b)
        #expect(Array(a.prefix(12)) != Array(b.prefix(12)))
    }

    @Test func aDestroyedKeyLeavesTheDataUnreadable() async throws {
        let store = InMemoryMemberKeyStore()
        var random = SplitMix64(seed: 4)
        let sealed = try PersonalDataSeal.seal(Self.sample, memberID: "m1", key: try await store.createKey(for: "m1"), random: &random)
        #expect(store.key(for: "m1").flatMap { PersonalDataSeal.open(sealed, memberID: "m1", key: $0) } == Self.sample)
        try await store.destroyKey(for: "m1")
        #expect(store.key(for: "m1") == nil)
    }

    @Test func personalDataRoundTripsThroughItsEncoding() throws {
        #expect(try PersonalData(encoded: Self.sample.encoded) == Self.sample)
        let minimal = PersonalData(displayName: "A")
        let decoded = try PersonalData(encoded: minimal.encoded)
        #expect(decoded == minimal)
        #expect(decoded.phone == nil && decoded.email == nil && decoded.addresses.isEmpty)
    }

    @Test func truncatedPersonalDataDoesNotDecode() {
        let bytes = Self.sample.encoded
        #expect(throws: (any Error).self) { try PersonalData(encoded: Array(bytes.dropLast())) }
        #expect(throws: (any Error).self) { try PersonalData(encoded: []) }
    }
}
