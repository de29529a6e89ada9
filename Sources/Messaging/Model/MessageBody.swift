public import EventSourcing

/// A message's body, one of seed 002's seven message types (`MESSAGE_TYPE`) with the
/// fields of its `*Message` record. Parsed and checked at the edge (`MessageRules.body`);
/// the event holds it sealed under the sender's key, so every field here is personal data.
public struct MessageBody: Hashable, Sendable {
    /// Seed 002's `MESSAGE_TYPE`, by the names API.md gives them.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case text, location, face, sound, image, file, video
    }

    /// Seed 002's `IMAGE_FORMAT`.
    public enum ImageFormat: String, Hashable, Sendable, CaseIterable {
        case jpg, gif, png, bmp, other
    }

    /// Seed 002's `VIDEO_FORMAT`.
    public enum VideoFormat: String, Hashable, Sendable, CaseIterable {
        case mp4, mov, wmv, flv, avi, mkv, other
    }

    public var kind: Kind
    public var content: String?
    public var lat: Double?
    public var lng: Double?
    public var desc: String?
    public var mapLink: String?
    public var coverImage: String?
    public var symbol: String?
    public var url: String?
    public var name: String?
    public var size: UInt64?
    public var seconds: UInt64?
    public var width: UInt64?
    public var height: UInt64?
    public var imageFormat: ImageFormat?
    public var videoFormat: VideoFormat?
    public var thumbURL: String?
    public var thumbWidth: Double?
    public var thumbHeight: Double?
    public var thumbFormat: ImageFormat?

    public init(kind: Kind) { self.kind = kind }

    /// The body as API.md shows it: `type` and the fields it has.
    public var json: JSONValue {
        var out: [String: JSONValue] = ["type": .string(kind.rawValue)]
        func put(_ key: String, _ value: String?) { if let value { out[key] = .string(value) } }
        func put(_ key: String, _ value: UInt64?) { if let value { out[key] = .count(value) } }
        func put(_ key: String, _ value: Double?) { if let value { out[key] = .double(value) } }
        put("content", content); put("lat", lat); put("lng", lng); put("desc", desc); put("map_link", mapLink)
        put("cover_image", coverImage); put("symbol", symbol); put("url", url); put("name", name); put("size", size)
        put("seconds", seconds); put("width", width); put("height", height)
        put("format", imageFormat?.rawValue ?? videoFormat?.rawValue)
        put("thumb_url", thumbURL); put("thumb_width", thumbWidth); put("thumb_height", thumbHeight)
        put("thumb_format", thumbFormat?.rawValue)
        return .object(out)
    }

    // MARK: Binary form (the plaintext that is sealed)

    /// The body's bytes: the kind, then a presence bitmap and the present fields in order.
    public var encoded: [UInt8] {
        var w = BinaryWriter()
        w.write(kind.rawValue)
        let strings = [content, desc, mapLink, coverImage, symbol, url, name, thumbURL, imageFormat?.rawValue, videoFormat?.rawValue,
            thumbFormat?.rawValue]
        for value in strings { w.write(value) }
        let counts = [size, seconds, width, height]
        for value in counts {
            w.write(value != nil)
            w.write(value ?? 0)
        }
        let doubles = [lat, lng, thumbWidth, thumbHeight]
        for value in doubles {
            w.write(value != nil)
            w.write((value ?? 0).bitPattern)
        }
        return w.bytes
    }

    public init(encoded bytes: [UInt8]) throws {
        self = try BinaryReader.read(bytes) { r in
            guard let kind = Kind(rawValue: try r.readString()) else { throw BinaryReader.Error(description: "unknown message kind") }
            var body = MessageBody(kind: kind)
            body.content = try r.readOptionalString()
            body.desc = try r.readOptionalString()
            body.mapLink = try r.readOptionalString()
            body.coverImage = try r.readOptionalString()
            body.symbol = try r.readOptionalString()
            body.url = try r.readOptionalString()
            body.name = try r.readOptionalString()
            body.thumbURL = try r.readOptionalString()
            body.imageFormat = try r.readOptionalString().flatMap(ImageFormat.init(rawValue:))
            body.videoFormat = try r.readOptionalString().flatMap(VideoFormat.init(rawValue:))
            body.thumbFormat = try r.readOptionalString().flatMap(ImageFormat.init(rawValue:))
            func count(_ r: inout BinaryReader) throws -> UInt64? {
                let present = try r.readBool()
                let value = try r.readUInt64()
                return present ? value : nil
            }
            func double(_ r: inout BinaryReader) throws -> Double? {
                let present = try r.readBool()
                let value = Double(bitPattern: try r.readUInt64())
                return present ? value : nil
            }
            body.size = try count(&r)
            body.seconds = try count(&r)
            body.width = try count(&r)
            body.height = try count(&r)
            body.lat = try double(&r)
            body.lng = try double(&r)
            body.thumbWidth = try double(&r)
            body.thumbHeight = try double(&r)
            return body
        }
    }
}
