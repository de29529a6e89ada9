public import EventSourcing

/// Parses the API's times (`2026-11-22T11:17:22.123Z`, fraction optional) into event time.
public enum RFC3339 {
    public static func parse(_ text: String) -> Timestamp? {
        let chars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= chars.count else { return nil }
            var value: Int64 = 0
            for c in chars[range] {
                guard (48...57).contains(c) else { return nil }
                value = value * 10 + Int64(c - 48)
            }
            return value
        }
        guard chars.count >= 20, chars[4] == 45, chars[7] == 45, chars[10] == 84 || chars[10] == 116,
            chars[13] == 58, chars[16] == 58, chars.last == 90 || chars.last == 122,
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var millis: Int64 = 0
        if chars[19] == 46 {
            let digits = chars[20..<(chars.count - 1)]
            guard !digits.isEmpty, digits.count <= 9, let fraction = number(20..<(chars.count - 1)) else { return nil }
            var scaled = fraction
            for _ in 0..<(3 - min(3, digits.count)) { scaled *= 10 }
            for _ in 0..<max(0, digits.count - 3) { scaled /= 10 }
            millis = scaled
        } else if chars.count != 20 {
            return nil
        }
        // Days from civil (Howard Hinnant).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Timestamp(millisecondsSince1970: ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis)
    }
}
