import Testing
import Members

@Suite struct MemberRulesTests {
    // MARK: Usernames

    @Test(arguments: ["abc", "Alice_42", "___", "ABC123", String(repeating: "z", count: 32)])
    func usernamesOfTheAllowedCharactersAreKeptAsTyped(_ raw: String) throws {
        #expect(try MemberRules.username(raw) == raw)
    }

    @Test(arguments: ["", "ab", String(repeating: "z", count: 33), "al ice", "al-ice", "alice!", "álice", "用户名", "alice\n", "a.b.c"])
    func otherUsernamesAreRefusedOnTheUsernameField(_ raw: String) {
        #expect(invalidField { _ = try MemberRules.username(raw) } == "username")
    }

    // MARK: Display names

    @Test(arguments: ["A", "Alice", "张三", "李 小龙", "Zoë_van-Dijk 2", "محمد", "Ørjan", String(repeating: "龙", count: 32)])
    func displayNamesOfLettersOfAnyScriptAreAccepted(_ raw: String) throws {
        #expect(try MemberRules.displayName(raw) == raw)
    }

    @Test(arguments: [
        "", String(repeating: "龙", count: 33), "Alice😀", "Alice!", "a.b", "O'Brien", " Alice", "Alice ", "Al  ice", "tab\tname",
    ])
    func otherDisplayNamesAreRefusedOnTheirField(_ raw: String) {
        #expect(invalidField { _ = try MemberRules.displayName(raw) } == "display_name")
        #expect(invalidField { _ = try MemberRules.displayName(raw, field: "full_name") } == "full_name")
    }

    @Test func displayNamesAreCountedInCharactersAndReturnedComposed() throws {
        let decomposed = String(repeating: "e\u{301}", count: 32)  // 64 scalars, 32 characters
        let name = try MemberRules.displayName(decomposed)
        #expect(name.unicodeScalars.count == 32)
        #expect(name.unicodeScalars.allSatisfy { $0 == "\u{E9}" })
        #expect(invalidField { _ = try MemberRules.displayName(decomposed + "e") } == "display_name")
    }

    @Test func displayNameKeysIgnoreCase() {
        #expect(MemberRules.displayNameKey("Alice Smith") == MemberRules.displayNameKey("ALICE smith"))
    }

    // MARK: Passwords

    @Test(arguments: ["correct horse battery", "Tr0ub4dor&3", "xK9#mQ2!", "13579246", "aaaaaaab", String(repeating: "ab1", count: 42) + "ab"])
    func reasonablePasswordsAreAccepted(_ password: String) {
        #expect(refusal { try MemberRules.password(password, username: "alice_w") } == nil)
    }

    @Test(arguments: [
        "short", "1234567", String(repeating: "ab1", count: 43),  // length
        "aaaaaaaa", "ZZZZZZZZZZZZ", "........",  // one character
        "12345678", "23456789", "34567890", "567890123", "0123456789",  // runs of digits
        "password", "Password1", "SUNSHINE", "qwerty123", "iloveyou",  // common
    ])
    func weakPasswordsAreRefused(_ password: String) {
        #expect(isWeak { try MemberRules.password(password, username: "someone") })
    }

    @Test func passwordsMustNotBeOrContainTheUsername() {
        #expect(isWeak { try MemberRules.password("alice_2024", username: "Alice_2024") })
        #expect(isWeak { try MemberRules.password("ALICE_2024", username: "alice_2024") })
        #expect(isWeak { try MemberRules.password("my-ALICE1-pass", username: "alice1") })
        // A username under six characters may appear inside a password.
        #expect(refusal { try MemberRules.password("alice-in-wonderland", username: "alice") } == nil)
        #expect(refusal { try MemberRules.password("alice-in-wonderland", username: nil) } == nil)
    }

    @Test func passwordsMustNotBeTheDisplayName() {
        #expect(isWeak { try MemberRules.password("zhang wei ming", username: "zwm", displayName: "Zhang Wei Ming") })
        #expect(refusal { try MemberRules.password("zhang wei ming!", username: "zwm", displayName: "Zhang Wei Ming") } == nil)
    }

    @Test func weakPasswordReasonsNameTheField() throws {
        let error = try #require(refusal { try MemberRules.password("short", username: nil, field: "new_password") })
        guard case .weakPassword(let reason) = error else {
            Issue.record("expected weakPassword, got \(error)")
            return
        }
        #expect(reason.hasPrefix("new_password"))
    }

    // MARK: Gender, avatar, phone, email

    @Test func gendersAreTheThreeLowerCaseValues() throws {
        #expect(try MemberRules.gender("male") == .male)
        #expect(try MemberRules.gender("female") == .female)
        #expect(try MemberRules.gender("unknown") == .unknown)
        for raw in ["Male", "", "other", "m"] {
            #expect(invalidField { _ = try MemberRules.gender(raw) } == "gender")
        }
    }

    @Test func avatarsAreEmptyOrHTTPURLsOfAtMost2048Bytes() throws {
        let base = "https://cdn.example.com/"
        for ok in ["", "https://cdn.example.com/a.png", "http://example.org/x", base + String(repeating: "a", count: 2048 - base.utf8.count)] {
            #expect(try MemberRules.avatarURL(ok) == ok)
        }
        for bad in ["ftp://example.com/a", "javascript:alert(1)", "https://", "cdn.example.com/a.png", base + String(repeating: "a", count: 2049 - base.utf8.count)] {
            #expect(invalidField { _ = try MemberRules.avatarURL(bad) } == "avatar_url")
        }
    }

    @Test func phonesAreNormalisedToE164() throws {
        #expect(try MemberRules.phone("13712345678") == "+8613712345678")
        #expect(try MemberRules.phone(" +8613712345678 ") == "+8613712345678")
        #expect(try MemberRules.phone("+14155550123") == "+14155550123")
        for bad in ["12345678901", "1371234567", "+86137123456", "+0123456789", "phone", ""] {
            #expect(invalidField { _ = try MemberRules.phone(bad) } == "phone")
        }
        #expect(invalidField { _ = try MemberRules.phone("nope", field: "new_phone") } == "new_phone")
    }

    @Test func emailsAreNormalisedWithALowerCaseDomain() throws {
        #expect(try MemberRules.email(" Alice@Example.COM ") == "Alice@example.com")
        for bad in ["alice", "alice@", "@example.com", "alice@example", "a b@example.com", "alice@exa..mple.com"] {
            #expect(invalidField { _ = try MemberRules.email(bad) } == "email")
        }
        #expect(invalidField { _ = try MemberRules.email("nope", field: "new_email") } == "new_email")
    }

    @Test func textFieldsAreBoundedAndFreeOfControlCharacters() throws {
        #expect(try MemberRules.freeText("Room 101", field: "address", max: 10) == "Room 101")
        #expect(try MemberRules.freeText("Line 1\nLine 2", field: "address", max: 20) == "Line 1\nLine 2")
        #expect(invalidField { _ = try MemberRules.freeText("12345678901", field: "address", max: 10) } == "address")
        #expect(invalidField { _ = try MemberRules.freeText("a\u{7}b", field: "address", max: 10) } == "address")
        #expect(invalidField { _ = try MemberRules.line("a\nb", field: "full_name", max: 10) } == "full_name")
        #expect(invalidField { _ = try MemberRules.line("", field: "zip_code", max: 10, allowEmpty: false) } == "zip_code")
    }

    @Test func aCombiningMarkFloodIsRefusedThoughItIsOneCharacter() throws {
        let flood = "a" + String(repeating: "\u{0301}", count: 400_000)
        #expect(flood.count == 1)
        #expect(invalidField { _ = try MemberRules.freeText(flood, field: "address", max: 1000) } == "address")
        #expect(invalidField { _ = try MemberRules.displayName(flood) } == "display_name")
        let fiveMarks = "e" + String(repeating: "\u{0301}", count: 5)
        #expect(invalidField { _ = try MemberRules.freeText(fiveMarks, field: "address", max: 10) } == "address")
        #expect(try MemberRules.freeText("e\u{0301}\u{0302}", field: "address", max: 10) == "e\u{0301}\u{0302}")
        // Four bytes per character at most: 10 four-byte emoji fit a 10-character limit, 11 do not.
        #expect(try MemberRules.freeText(String(repeating: "😀", count: 10), field: "address", max: 10).count == 10)
        #expect(invalidField { _ = try MemberRules.freeText(String(repeating: "😀", count: 11), field: "address", max: 10) } == "address")
    }
}
