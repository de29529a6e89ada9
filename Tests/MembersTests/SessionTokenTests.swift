import Testing
import Members

@Suite struct SessionTokenTests {
    static let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test func tokensArePrefixedBase64urlOf256Bits() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let token = SessionToken.make(random: &random)
            #expect(token.hasPrefix("lbk_"))
            #expect(token.count == 47)
            #expect(token.dropFirst(4).allSatisfy { Self.alphabet.contains($0) })
        }
    }

    @Test func tokensDiffer() {
        var random = SystemRandomNumberGenerator()
        let tokens = (0..<100).map { _ in SessionToken.make(random: &random) }
        #expect(Set(tokens).count == 100)
    }

    @Test func tokensComeFromTheGivenGenerator() {
        var a = SplitMix64(seed: 42)
        var b = SplitMix64(seed: 42)
        var c = SplitMix64(seed: 43)
        let token = SessionToken.make(random: &a)
        #expect(token == SessionToken.make(random: &b))
        #expect(token != SessionToken.make(random: &c))
    }

    @Test func theHashIsSHA256OfTheToken() {
        #expect(hex(SessionToken.hash("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var random = SystemRandomNumberGenerator()
        let token = SessionToken.make(random: &random)
        #expect(SessionToken.hash(token).count == 32)
        #expect(SessionToken.hash(token) == SessionToken.hash(token))
        #expect(SessionToken.hash(token) != SessionToken.hash(token + "x"))
    }

    @Test func tokensLastThirtyDays() {
        #expect(SessionToken.lifetimeSeconds == 2_592_000)
    }
}
