import Foundation
import Testing
@testable import Members

@Suite struct PasswordHashTests {
    let salt: [UInt8] = Array(0..<16)

    @Test func makeProducesAPHCStringCarryingTheParameters() throws {
        let hash = try PasswordHash.make(password: "correct horse", salt: salt, parameters: .testing)
        let parts = hash.encoded.split(separator: "$", omittingEmptySubsequences: false)
        #expect(parts.count == 5)
        #expect(hash.encoded.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        #expect(parts[3] == "AAECAwQFBgcICQoLDA0ODw")  // the salt, base64 without padding
        #expect(parts[4].count == 43)  // 32 bytes, base64 without padding
        #expect(!parts[3].contains("=") && !parts[4].contains("="))
        #expect(PasswordHash(encoded: hash.encoded) == hash)
    }

    @Test func matchesOnlyTheHashedPassword() throws {
        let hash = try PasswordHash.make(password: "correct horse", salt: salt, parameters: .testing)
        #expect(hash.matches("correct horse"))
        #expect(!hash.matches("battery staple"))
        #expect(!hash.matches("correct horsf"))
        #expect(!hash.matches("Correct horse"))
        #expect(!hash.matches("correct horse "))
        #expect(!hash.matches(""))
    }

    @Test func theEncodedHashDoesNotHoldThePassword() throws {
        let password = "correct horse battery staple"
        let hash = try PasswordHash.make(password: password, salt: salt, parameters: .testing)
        #expect(!hash.encoded.contains(password))
        #expect(!hash.encoded.contains(PasswordHash.base64(Array(password.utf8))))
    }

    @Test func theSaltChangesTheHash() throws {
        let a = try PasswordHash.make(password: "correct horse", salt: salt, parameters: .testing)
        let b = try PasswordHash.make(password: "correct horse", salt: Array(repeating: 9, count: 16), parameters: .testing)
        #expect(a != b)
        #expect(a.matches("correct horse") && b.matches("correct horse"))
    }

    @Test func parametersTravelWithTheHash() throws {
        let hash = try PasswordHash.make(password: "pw-12345678", salt: salt, parameters: .init(logN: 11, r: 4, p: 2))
        #expect(hash.encoded.hasPrefix("$scrypt$ln=11,r=4,p=2$"))
        let parsed = try #require(PasswordHash(encoded: hash.encoded))
        #expect(parsed.matches("pw-12345678"))
    }

    @Test func aTamperedHashDoesNotMatch() throws {
        let hash = try PasswordHash.make(password: "correct horse", salt: salt, parameters: .testing)
        var parts = hash.encoded.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        var digest = try #require(PasswordHash.unbase64(Substring(parts[4])))
        digest[0] ^= 1
        parts[4] = PasswordHash.base64(digest)
        let tampered = try #require(PasswordHash(encoded: parts.joined(separator: "$")))
        #expect(!tampered.matches("correct horse"))
    }

    static let valid = "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$" + PasswordHash.base64(Array(repeating: 1, count: 32))

    @Test(arguments: [
        "",
        "scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",
        "$argon2id$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",
        "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw",
        "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE$extra",
        "$scrypt$ln=10,r=8$AAECAwQFBgcICQoLDA0ODw$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",
        "$scrypt$ln=ten,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",
        "$scrypt$ln=25,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",
        "$scrypt$ln=0,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",
        "$scrypt$ln=10,r=8,p=1$!!not base64!!$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",
        "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ*",
        "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AQEBAQEBAQEBAQEBAQEBAQ",
        "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ",
    ])
    func malformedEncodingsAreRejected(_ encoded: String) {
        #expect(PasswordHash(encoded: encoded) == nil)
    }

    @Test func theWellFormedTemplateOfTheMalformedCasesIsAccepted() {
        #expect(Self.valid == "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE")
        #expect(PasswordHash(encoded: Self.valid) != nil)
    }

    @Test func canonicallyEquivalentPasswordsMatch() throws {
        let composed = "caf\u{E9} cr\u{E8}me"
        let decomposed = "cafe\u{301} cre\u{300}me"
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        let hash = try PasswordHash.make(password: decomposed, salt: salt, parameters: .testing)
        #expect(hash.matches(composed))
        #expect(hash.matches(decomposed))
        #expect(!hash.matches("cafe creme"))
    }

    /// RFC 7914 section 12. scrypt ends with PBKDF2-HMAC-SHA256 (one iteration), whose
    /// first 32-byte block does not depend on the output length, so a 32-byte output is
    /// the prefix of the RFC's 64-byte one (checked against Python's hashlib.scrypt).
    @Test(arguments: [
        ("", "", 4, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"),
        ("password", "NaCl", 10, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"),
        ("pleaseletmein", "SodiumChloride", 14, 8, 1, "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"),
    ])
    func deriveMatchesTheRFC7914TestVectors(password: String, salt: String, logN: Int, r: Int, p: Int, expected: String) throws {
        let derived = try PasswordHash.derive(password: password, salt: Array(salt.utf8), parameters: .init(logN: logN, r: r, p: p))
        #expect(derived.count == 32)
        #expect(hex(derived) == expected)
    }
}
