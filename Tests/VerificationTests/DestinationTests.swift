import Testing
import Verification

@Suite struct DestinationTests {
    @Test(arguments: [
        ("+8613712345678", "+8613712345678"), ("13712345678", "+8613712345678"), (" +14155550123 ", "+14155550123"),
        ("+447911123456", "+447911123456"),
    ])
    func phonesNormalise(raw: String, normalised: String) {
        #expect(Destination(channel: .sms, raw: raw)?.address == normalised)
        #expect(Destination(channel: .call, raw: raw)?.address == normalised)
    }

    @Test(arguments: ["", "+", "12345678901", "23712345678", "1371234567", "+0123456789", "+1234567", "+12345678901234567",
                      "+86137123456", "137-1234-5678", "+86 13712345678", "abc"])
    func badPhonesAreRefused(raw: String) {
        #expect(Destination(channel: .sms, raw: raw) == nil)
    }

    @Test func emailsNormaliseTheirDomain() {
        #expect(Destination(channel: .email, raw: "Ann.Lee@Example.COM")?.address == "Ann.Lee@example.com")
    }

    @Test(arguments: ["", "a", "a@b", "@example.com", "a@@example.com", "a b@example.com", "a@exa mple.com", "a@.com",
                      "a@example..com", String(repeating: "x", count: 65) + "@example.com"])
    func badEmailsAreRefused(raw: String) {
        #expect(Destination(channel: .email, raw: raw) == nil)
    }

    @Test func addressesAreMasked() {
        #expect(Destination(channel: .sms, raw: "13712345678")?.masked == "+86137****5678")
        #expect(Destination(channel: .email, raw: "ann@example.com")?.masked == "a***@example.com")
    }
}
