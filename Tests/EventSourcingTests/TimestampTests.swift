import EventSourcing
import Foundation
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        (0, "1970-01-01T00:00:00.000Z"), (1_795_000_000_123, "2026-11-18T11:06:40.123Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"), (-1, "1969-12-31T23:59:59.999Z"),
    ] as [(Int64, String)])
    func timesRenderAsRFC3339WithMilliseconds(ms: Int64, text: String) {
        #expect(Timestamp(millisecondsSince1970: ms).rfc3339 == text)
    }

    /// RFC 3339 as Foundation's formatter writes it, from 1600 (before the Gregorian reform
    /// Foundation switches to the Julian calendar; RFC 3339 stays proleptic Gregorian) to 9999.
    @Test func rfc3339MatchesFoundationsFormatter() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var random = SystemRandomNumberGenerator()
        var samples: [Int64] = [0, 1, 999, 1000, -1, -999, -1000, -1001, 951_782_400_000, 1_796_000_000_123, 253_402_300_799_999]
        samples += (0..<2000).map { _ in Int64.random(in: -11_676_096_000_000...253_402_300_799_999, using: &random) }
        for ms in samples {
            let date = Date(timeIntervalSince1970: Double(ms) / 1000)
            #expect(Timestamp(millisecondsSince1970: ms).rfc3339 == formatter.string(from: date), "\(ms)")
        }
    }

    @Test func yearsBeyondFourDigitsStillRender() {
        #expect(Timestamp(millisecondsSince1970: 253_402_300_800_000).rfc3339 == "10000-01-01T00:00:00.000Z")
    }
}
