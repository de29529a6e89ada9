import EventSourcing
import Testing

@Suite struct EntityIDTests {
    /// Every byte value in every position: an id parses exactly when it is 26 characters of
    /// Crockford's alphabet (digits and capitals but I, L, O and U).
    @Test func idsParseExactlyFromTheAlphabet() {
        let alphabet = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
        let valid = Array(EntityID.example.rawValue.utf8)
        for byte in UInt8.min...UInt8.max where byte < 0x80 {
            var text = valid
            text[7] = byte
            let parsed = EntityID(String(decoding: text, as: UTF8.self))
            #expect((parsed != nil) == alphabet.contains(byte), "byte \(byte)")
        }
        #expect(EntityID(String(EntityID.example.rawValue.dropLast())) == nil)
        #expect(EntityID(EntityID.example.rawValue + "0") == nil)
        #expect(EntityID(EntityID.example.rawValue.lowercased()) == nil)
        #expect(EntityID("01KB7Y3Q0000000000000000Aé") == nil)
        // The String, Substring and generic parsers agree.
        let named = "member-" + EntityID.example.rawValue
        let tail = named.dropFirst("member-".count)
        #expect(EntityID(tail) == EntityID.example && EntityID(named.dropFirst(6)) == nil)
        #expect(EntityID(tail.utf8.map { Character(UnicodeScalar($0)) }.reduce(into: "") { $0.append($1) }) == EntityID.example)
        func generic(_ text: some StringProtocol) -> EntityID? { EntityID(text) }
        #expect(generic(tail) == EntityID.example && generic(named) == nil)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let made = EntityID.make(now: Timestamp(millisecondsSince1970: 1_795_000_000_000), random: &random)
            #expect(EntityID(made.rawValue) == made)
        }
    }
}
