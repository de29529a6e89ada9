public import EventSourcing

/// Realistic events for tests and benchmarks: the mix the five domains will write
/// (codes issued and checked, members registered, feeds liked, messages sent), with
/// binary payloads and, for each, the JSON text an auditor's dump would show
/// (about 250 bytes on average), the baseline of the compression targets.
public struct SampleEvents: Sequence, IteratorProtocol {
    /// One generated event.
    public struct Sample: Sendable {
        public var stream: StreamID
        public var event: NewEvent
        /// The event as one line of JSON (position, stream, version, type, time, payload).
        public var jsonText: String
    }

    private var random: SplitMix64
    private var clock: Int64
    private var counter: UInt64 = 0
    private var versions: [StreamID: StreamVersion] = [:]
    /// How many distinct streams of each kind events spread over.
    private let streamPool: UInt64

    public init(seed: UInt64 = 42, streamPool: UInt64 = 100_000) {
        random = SplitMix64(seed: seed)
        clock = 1_795_000_000_000
        self.streamPool = streamPool
    }

    public mutating func next() -> Sample? {
        counter += 1
        clock += Int64(random.next() % 50)
        let time = Timestamp(millisecondsSince1970: clock)
        switch random.next() % 5 {
        case 0: return codeIssued(time)
        case 1: return codeChecked(time)
        case 2: return memberRegistered(time)
        case 3: return feedLiked(time)
        default: return messageSent(time)
        }
    }

    /// The next `count` samples.
    public mutating func take(_ count: Int) -> [Sample] { (0..<count).compactMap { _ in next() } }

    private mutating func id(_ pool: UInt64) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
        var value = (random.next() % pool) &* 0x9E37_79B9_7F4A_7C15
        var out = [UInt8]()
        for _ in 0..<20 {
            out.append(alphabet[Int(value & 31)])
            value = value >> 5 | (value << 59)
        }
        return "01J" + String(decoding: out, as: UTF8.self)
    }

    private mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }

    private mutating func make(_ stream: StreamID, _ type: String, _ time: Timestamp, _ payload: BinaryWriter, _ json: String) -> Sample {
        let version = (versions[stream] ?? 0) + 1
        versions[stream] = version
        let event = NewEvent(type: type, payload: payload.bytes, timestamp: time,
                             metadata: EventMetadata(correlationID: "req-\(counter)"))
        let text = "{\"position\":\(counter),\"stream\":\"\(stream)\",\"version\":\(version),\"type\":\"\(type)\","
            + "\"time\":\"\(Self.rfc3339(time))\",\"correlation_id\":\"req-\(counter)\",\"payload\":{\(json)}}"
        return Sample(stream: stream, event: event, jsonText: text)
    }

    private mutating func codeIssued(_ time: Timestamp) -> Sample {
        let phone = "+86137\(10_000_000 + random.next() % 89_999_999)"
        let hash = bytes(32)
        var w = BinaryWriter()
        w.write("sms"); w.write(phone); w.write("register"); w.write(hash); w.write(time.adding(seconds: 300))
        let json = "\"channel\":\"sms\",\"to\":\"\(phone)\",\"operation\":\"register\",\"code_hash\":\"\(Self.hex(hash))\","
            + "\"expires_at\":\"\(Self.rfc3339(time.adding(seconds: 300)))\""
        return make(StreamID(category: "verification", id: id(streamPool)), "verification.code-issued.v1", time, w, json)
    }

    private mutating func codeChecked(_ time: Timestamp) -> Sample {
        let approved = random.next() % 4 != 0
        var w = BinaryWriter()
        w.write(approved); w.write(UInt64(approved ? 4 : 3))
        let json = "\"result\":\"\(approved ? "approved" : "incorrect")\",\"attempts_left\":\(approved ? 4 : 3)"
        return make(StreamID(category: "verification", id: id(streamPool)), "verification.code-checked.v1", time, w, json)
    }

    private mutating func memberRegistered(_ time: Timestamp) -> Sample {
        let username = "user_\(random.next() % 1_000_000)"
        let sealed = bytes(28)
        let passwordHash = bytes(32)
        var w = BinaryWriter()
        w.write(username); w.write(sealed); w.write(passwordHash)
        let json = "\"username\":\"\(username)\",\"display_name_sealed\":\"\(Self.hex(sealed))\","
            + "\"password_hash\":\"\(Self.hex(passwordHash))\""
        return make(StreamID(category: "member", id: id(streamPool)), "member.registered.v1", time, w, json)
    }

    private mutating func feedLiked(_ time: Timestamp) -> Sample {
        let member = id(streamPool)
        var w = BinaryWriter()
        w.write(member)
        return make(StreamID(category: "feed", id: id(streamPool / 10 + 1)), "feed.liked.v1", time, w,
                    "\"member_id\":\"\(member)\"")
    }

    private mutating func messageSent(_ time: Timestamp) -> Sample {
        let words = ["hello", "see", "you", "at", "the", "meeting", "tomorrow", "ok", "thanks", "lunch", "好的", "明天见"]
        let text = (0..<(3 + Int(random.next() % 8))).map { _ in words[Int(random.next() % UInt64(words.count))] }
            .joined(separator: " ")
        let sender = id(streamPool)
        var w = BinaryWriter()
        w.write(sender); w.write(UInt64(0)); w.write(text)
        return make(StreamID(category: "conversation", id: id(streamPool / 10 + 1)), "message.sent.v1", time, w,
                    "\"sender_id\":\"\(sender)\",\"body\":{\"type\":\"text\",\"content\":\"\(text)\"}")
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    /// RFC 3339 UTC with milliseconds, from the civil-from-days algorithm (no Foundation).
    public static func rfc3339(_ time: Timestamp) -> String {
        let ms = time.millisecondsSince1970
        let seconds = ms / 1000
        let days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        let z = days + 719_468
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let millis = ms % 1000
        let msText = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)).\(msText)Z"
    }
}
