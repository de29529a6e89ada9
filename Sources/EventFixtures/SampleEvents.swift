public import EventSourcing
import Members
import Verification

/// Realistic events for tests and benchmarks: the mix the five domains will write,
/// with binary payloads and, for each, the JSON text an auditor's dump would show
/// (about 250-300 bytes), the baseline of the compression targets.
///
/// Two stream patterns:
/// - `.realistic`: what the domains do. New entities (verification codes, members,
///   feeds, conversations) get new streams with time-ordered ids (ULID-like), and
///   later events go to a hot set of recent streams (a code is checked minutes after
///   it is sent; likes go to recent feeds; messages to active conversations).
/// - `.uniform(pool:)`: every event picks one of `pool` random stream names: the
///   adversarial case for the stream index (every append lands on a random page).
public struct SampleEvents: Sequence, IteratorProtocol {
    public enum Pattern: Sendable {
        case realistic
        case uniform(pool: UInt64)
    }

    /// One generated event, with the expected version a command would append it with.
    public struct Sample: Sendable {
        public var stream: StreamID
        public var event: NewEvent
        public var expected: ExpectedVersion
        /// The event as one line of JSON (position, stream, version, type, time, payload).
        public var jsonText: String

        /// A single-stream append of this sample.
        public var append: StreamAppend { StreamAppend(stream: stream, expected: expected, events: [event]) }
    }

    private var random: SplitMix64
    private var clock: Int64 = 1_795_000_000_000
    private var counter: UInt64 = 0
    private var versions: [StreamID: StreamVersion] = [:]
    private let pattern: Pattern
    private var recent: [String: RecentStreams] = [:]

    public init(seed: UInt64 = 42, pattern: Pattern = .realistic) {
        random = SplitMix64(seed: seed)
        self.pattern = pattern
    }

    public mutating func next() -> Sample? {
        counter += 1
        clock += Int64(random.next() % 3)
        let time = Timestamp(millisecondsSince1970: clock)
        switch random.next() % 6 {
        case 0: return codeIssued(time)
        case 1: return codeChecked(time)
        case 2: return memberRegistered(time)
        case 3: return feedLiked(time)
        case 4: return feedLiked(time)
        default: return messageSent(time)
        }
    }

    /// The next `count` samples.
    public mutating func take(_ count: Int) -> [Sample] { (0..<count).compactMap { _ in next() } }

    /// The next `count` samples as one atomic request.
    public mutating func request(_ count: Int) -> AppendRequest { AppendRequest(take(count).map(\.append)) }

    // MARK: Streams

    /// A stream of `category`: new (time-ordered id) or recent, by pattern.
    private mutating func stream(_ category: String, new: Bool) -> StreamID {
        switch pattern {
        case .uniform(let pool):
            return Self.stream(category, randomID(random.next() % pool))
        case .realistic:
            if !new, let id = recent[category]?.pick(&random) { return Self.stream(category, id) }
            let id = timeOrderedID()
            recent[category, default: RecentStreams()].add(id)
            return Self.stream(category, id)
        }
    }

    /// `category-id` from the fixture's own constants (always a valid name).
    private static func stream(_ category: String, _ id: String) -> StreamID {
        StreamID("\(category)-\(id)") ?? "fixture-invalid"
    }

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// 10 characters of millisecond time then 16 random ones, in Crockford base32 (a ULID).
    private mutating func timeOrderedID() -> String {
        var out = [UInt8]()
        var time = UInt64(clock)
        for _ in 0..<10 {
            out.insert(Self.alphabet[Int(time & 31)], at: 0)
            time >>= 5
        }
        var bits = random.next()
        for index in 0..<16 {
            if index == 12 { bits = random.next() }
            out.append(Self.alphabet[Int(bits & 31)])
            bits >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func randomID(_ value: UInt64) -> String {
        var value = value &* 0x9E37_79B9_7F4A_7C15
        var out = [UInt8]()
        for _ in 0..<26 {
            out.append(Self.alphabet[Int(value & 31)])
            value = value >> 5 | (value << 59)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Events

    private mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }

    private mutating func make(_ stream: StreamID, _ type: String, _ time: Timestamp, _ payload: BinaryWriter, _ json: String) -> Sample {
        let previous = versions[stream] ?? 0
        versions[stream] = previous + 1
        let event = NewEvent(type: type, payload: payload.bytes, timestamp: time,
                             metadata: EventMetadata(correlationID: "req-\(counter)"))
        let text = "{\"position\":\(counter),\"stream\":\"\(stream)\",\"version\":\(previous + 1),\"type\":\"\(type)\","
            + "\"time\":\"\(time.rfc3339)\",\"correlation_id\":\"req-\(counter)\",\"payload\":{\(json)}}"
        return Sample(stream: stream, event: event, expected: .exactly(previous), jsonText: text)
    }

    // The verification and member events are the domains' own (their codecs decode
    // them, so replays into every read model work on generated logs); the sealed parts
    // and hashes are random bytes of the real sizes.

    private mutating func codeIssued(_ time: Timestamp) -> Sample {
        let stream = stream("verification", new: true)
        let phone = "+86137\(10_000_000 + random.next() % 89_999_999)"
        let key = stream.entityID ?? .example
        let event = CodeIssued(
            key: key, channel: .sms, maskedTo: String(phone.prefix(6)) + "****" + String(phone.suffix(4)),
            destinationID: Self.hex(bytes(16)), operation: "register", codeHash: bytes(32), expiresAt: time.adding(seconds: 300),
            sealedDelivery: bytes(96))
        var w = BinaryWriter()
        event.encode(to: &w)
        let json = "\"channel\":\"sms\",\"to\":\"\(event.maskedTo)\",\"operation\":\"register\",\"code_hash\":\"\(Self.hex(event.codeHash))\","
            + "\"expires_at\":\"\(time.adding(seconds: 300).rfc3339)\""
        return make(stream, CodeIssued.type, time, w, json)
    }

    private mutating func codeChecked(_ time: Timestamp) -> Sample {
        let approved = random.next() % 4 != 0
        var w = BinaryWriter()
        CodeChecked(approved: approved, attemptsLeft: approved ? 5 : 4).encode(to: &w)
        let json = "\"approved\":\(approved),\"attempts_left\":\(approved ? 5 : 4)"
        return make(stream("verification", new: false), CodeChecked.type, time, w, json)
    }

    private mutating func memberRegistered(_ time: Timestamp) -> Sample {
        let username = "user_\(random.next() % 1_000_000)"
        let event = MemberRegistered(
            username: username, passwordHash: "$scrypt$ln=17,r=8,p=1$\(Self.hex(bytes(16)))$\(Self.hex(bytes(32)))", method: "password",
            profile: SealedPart(bytes: [2] + bytes(60)), contact: nil, displayNameKey: Self.hex(bytes(16)), phoneKey: nil)
        var w = BinaryWriter()
        event.encode(to: &w)
        let json = "\"username\":\"\(username)\",\"password_hash\":\"\(event.passwordHash)\",\"profile\":{\"sealed_bytes\":61}"
        return make(stream("member", new: true), MemberRegistered.type, time, w, json)
    }

    private mutating func feedLiked(_ time: Timestamp) -> Sample {
        let member = stream("member", new: false).rawValue.dropFirst("member-".count)
        var w = BinaryWriter()
        w.write(String(member))
        // Not the Feeds domain's own `feed.liked.v1` (its payload differs): a type and stream
        // no read model claims, so replaying a generated log into every read model skips it.
        return make(stream("sample_likes", new: random.next() % 20 == 0), "sample.feed-liked.v1", time, w, "\"member_id\":\"\(member)\"")
    }

    private mutating func messageSent(_ time: Timestamp) -> Sample {
        let words = ["hello", "see", "you", "at", "the", "meeting", "tomorrow", "ok", "thanks", "lunch", "好的", "明天见"]
        let text = (0..<(3 + Int(random.next() % 8))).map { _ in words[Int(random.next() % UInt64(words.count))] }
            .joined(separator: " ")
        let sender = stream("member", new: false).rawValue.dropFirst("member-".count)
        var w = BinaryWriter()
        w.write(String(sender)); w.write(UInt64(0)); w.write(text)
        // Not the Messaging domain's `message.sent.v1` (sealed bodies, another layout), for the same reason.
        return make(stream("sample_chat", new: random.next() % 10 == 0), "sample.message-sent.v1", time, w,
                    "\"sender_id\":\"\(sender)\",\"body\":{\"type\":\"text\",\"content\":\"\(text)\"}")
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.hexString }

}

/// The most recent streams of one category (a ring of 10,000), for the hot set.
struct RecentStreams {
    private var ids: [String] = []
    private var next = 0

    mutating func add(_ id: String) {
        if ids.count < 10_000 { ids.append(id) } else { ids[next] = id; next = (next + 1) % ids.count }
    }

    func pick(_ random: inout SplitMix64) -> String? {
        ids.isEmpty ? nil : ids[Int(random.next() % UInt64(ids.count))]
    }
}
