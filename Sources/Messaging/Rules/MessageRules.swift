import EventSourcing
import Members

/// The input rules of API.md's Messaging section and seed 002's message records. Pure;
/// every refusal names its field (`body.<field>` inside the body).
public enum MessageRules {
    /// The longest text message, in characters: API.md states no limit of its own for it,
    /// so its free-text rule applies (at most 1,000 characters).
    public static let maxText = 1_000
    /// The longest face symbol, file name or location description, in characters.
    public static let maxSymbol = 64
    public static let maxFileName = 255
    public static let maxDescription = 1000
    /// The longest URL, in bytes.
    public static let maxURL = 2048
    /// Mentions one message may carry.
    public static let maxMentions = 100
    /// Characters of an admin broadcast.
    public static let maxBroadcast = 1000

    /// The fields of a body as a client sent them (any may be missing or out of range).
    public struct RawBody: Sendable {
        public var type: String
        public var content, desc, mapLink, coverImage, symbol, url, name, format, thumbURL, thumbFormat: String?
        public var lat, lng, thumbWidth, thumbHeight: Double?
        public var size, seconds, width, height: Int64?

        public init(type: String) { self.type = type }
    }

    /// A checked body holding only the fields of its type.
    public static func body(_ raw: RawBody) throws(MessageError) -> MessageBody {
        guard let kind = MessageBody.Kind(rawValue: raw.type) else {
            throw .invalid(field: "body.type", reason: "body.type must be one of \(MessageBody.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var body = MessageBody(kind: kind)
        switch kind {
        case .text:
            body.content = try text(raw.content, field: "content", min: 1, max: maxText)
        case .location:
            body.lat = try coordinate(raw.lat, field: "lat", limit: 90)
            body.lng = try coordinate(raw.lng, field: "lng", limit: 180)
            body.desc = try raw.desc.map { (value) throws(MessageError) in try text(value, field: "desc", min: 0, max: maxDescription) }
            body.mapLink = try raw.mapLink.map { (value) throws(MessageError) in try url(value, field: "map_link") }
            body.coverImage = try raw.coverImage.map { (value) throws(MessageError) in try url(value, field: "cover_image") }
        case .face:
            body.symbol = try text(raw.symbol, field: "symbol", min: 1, max: maxSymbol)
        case .sound:
            body.url = try url(raw.url, field: "url")
            body.size = try count(raw.size, field: "size")
            body.seconds = try count(raw.seconds, field: "seconds")
        case .image:
            body.url = try url(raw.url, field: "url")
            body.imageFormat = try imageFormat(raw.format, field: "format")
            body.width = try count(raw.width, field: "width")
            body.height = try count(raw.height, field: "height")
            body.size = try count(raw.size, field: "size")
        case .file:
            body.url = try url(raw.url, field: "url")
            body.name = try text(raw.name, field: "name", min: 1, max: maxFileName)
            body.size = try count(raw.size, field: "size")
        case .video:
            body.url = try url(raw.url, field: "url")
            guard let format = raw.format.flatMap(MessageBody.VideoFormat.init(rawValue:)) else {
                throw .invalid(field: "body.format", reason: "body.format must be one of \(MessageBody.VideoFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            body.videoFormat = format
            body.size = try count(raw.size, field: "size")
            body.seconds = try count(raw.seconds, field: "seconds")
            body.thumbURL = try raw.thumbURL.map { (value) throws(MessageError) in try url(value, field: "thumb_url") }
            body.thumbWidth = try raw.thumbWidth.map { (value) throws(MessageError) in try dimension(value, field: "thumb_width") }
            body.thumbHeight = try raw.thumbHeight.map { (value) throws(MessageError) in try dimension(value, field: "thumb_height") }
            body.thumbFormat = try raw.thumbFormat.map { (value) throws(MessageError) in try imageFormat(value, field: "thumb_format") }
        }
        return body
    }

    /// `at_member_ids`: entity ids, at most 100, duplicates dropped (order kept).
    public static func mentions(_ raw: [String]?) throws(MessageError) -> [String] {
        guard let raw else { return [] }
        guard raw.count <= maxMentions else { throw .invalid(field: "at_member_ids", reason: "at_member_ids takes at most \(maxMentions) ids.") }
        var seen: Set<String> = []
        var out: [String] = []
        for id in raw {
            guard let entity = EntityID(id) else { throw .invalid(field: "at_member_ids", reason: "at_member_ids holds a malformed member id.") }
            if seen.insert(entity.rawValue).inserted { out.append(entity.rawValue) }
        }
        return out
    }

    static func text(_ raw: String?, field: String, min: Int, max: Int) throws(MessageError) -> String {
        guard let raw else { throw .invalid(field: "body.\(field)", reason: "body.\(field) is required.") }
        if let reason = TextRule.freeText(min: min, max: max).violation(in: raw) {
            throw .invalid(field: "body.\(field)", reason: "body.\(field) \(reason)")
        }
        if min > 0, raw.allSatisfy(\.isWhitespace) { throw .invalid(field: "body.\(field)", reason: "body.\(field) must not be only spaces.") }
        return raw
    }

    static func url(_ raw: String?, field: String) throws(MessageError) -> String {
        guard let raw, !raw.isEmpty else { throw .invalid(field: "body.\(field)", reason: "body.\(field) is required (an http(s) URL).") }
        guard raw.utf8.count <= maxURL, (try? MemberRules.avatarURL(raw)) == raw else {
            throw .invalid(field: "body.\(field)", reason: "body.\(field) must be an http(s) URL of at most \(maxURL) bytes.")
        }
        return raw
    }

    static func count(_ raw: Int64?, field: String) throws(MessageError) -> UInt64 {
        guard let raw, raw >= 0 else { throw .invalid(field: "body.\(field)", reason: "body.\(field) must be a non-negative integer.") }
        return UInt64(raw)
    }

    static func coordinate(_ raw: Double?, field: String, limit: Double) throws(MessageError) -> Double {
        guard let raw, raw.isFinite, raw >= -limit, raw <= limit else {
            throw .invalid(field: "body.\(field)", reason: "body.\(field) must be a number from -\(Int(limit)) to \(Int(limit)).")
        }
        return raw
    }

    static func dimension(_ raw: Double, field: String) throws(MessageError) -> Double {
        guard raw.isFinite, raw >= 0, raw <= 1_000_000 else {
            throw .invalid(field: "body.\(field)", reason: "body.\(field) must be a number from 0 to 1000000.")
        }
        return raw
    }

    static func imageFormat(_ raw: String?, field: String) throws(MessageError) -> MessageBody.ImageFormat {
        guard let format = raw.flatMap(MessageBody.ImageFormat.init(rawValue:)) else {
            throw .invalid(field: "body.\(field)", reason: "body.\(field) must be one of \(MessageBody.ImageFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return format
    }
}
