public import EventSourcing

/// `upload.stored.v1` on `upload-<sha256>`: a content stored for the first time, by nobody
/// in particular (before uploads needed a member). Still read; no longer written.
public struct UploadStoredV1: EventPayload {
    public static let type = "upload.stored.v1"
    public var sha256: String
    public var size: UInt64
    public var contentType: String
    public init(sha256: String, size: UInt64, contentType: String) { (self.sha256, self.size, self.contentType) = (sha256, size, contentType) }
    public init(from r: inout BinaryReader) throws { self.init(sha256: try r.readString(), size: try r.readUInt64(), contentType: try r.readString()) }
    public func encode(to w: inout BinaryWriter) { w.write(sha256); w.write(size); w.write(contentType) }
    public var json: JSONValue { ["sha256": .string(sha256), "size": .count(size), "content_type": .string(contentType)] }
    public static let example = UploadStoredV1(sha256: String(repeating: "ab", count: 32), size: 1024, contentType: "image/png")
}

/// `upload.stored.v2` on `uploads-<member id>`: a member stored a content (new for that
/// member, so it counts toward the member's quota once). The log holds the record, never
/// the bytes (those live in the blob store under their SHA-256).
public struct UploadStored: EventPayload {
    public static let type = "upload.stored.v2"
    public var memberID: String
    public var sha256: String
    public var size: UInt64
    public var contentType: String
    public init(memberID: String, sha256: String, size: UInt64, contentType: String) {
        (self.memberID, self.sha256, self.size, self.contentType) = (memberID, sha256, size, contentType)
    }
    public init(from r: inout BinaryReader) throws {
        self.init(memberID: try r.readString(), sha256: try r.readString(), size: try r.readUInt64(), contentType: try r.readString())
    }
    public func encode(to w: inout BinaryWriter) { w.write(memberID); w.write(sha256); w.write(size); w.write(contentType) }
    public var json: JSONValue {
        ["member_id": .string(memberID), "sha256": .string(sha256), "size": .count(size), "content_type": .string(contentType)]
    }
    public static let example = UploadStored(memberID: EntityID.example.rawValue, sha256: String(repeating: "ab", count: 32), size: 1024, contentType: "image/png")
}

/// What the log records about uploads.
public enum UploadEvent: Hashable, Sendable {
    case storedV1(UploadStoredV1)
    case stored(UploadStored)

    public static let codec = EventCodec<UploadEvent>(categories: [.uploads, .upload], [
        .case(UploadStoredV1.self, UploadEvent.storedV1),
        .case(UploadStored.self, UploadEvent.stored),
    ])

    public var payload: any EventPayload {
        switch self {
        case .storedV1(let e): e
        case .stored(let e): e
        }
    }

    public func newEvent(at time: Timestamp, metadata: EventMetadata = .none) -> NewEvent { payload.newEvent(at: time, metadata: metadata) }

    public init?(_ event: RecordedEvent) throws {
        guard let decoded = try Self.codec.decode(event) else { return nil }
        self = decoded
    }
}

extension StreamCategory {
    /// `uploads-<member id>`: one member's uploads (the quota's stream).
    public static let uploads = StreamCategory("uploads")
    /// `upload-<sha256>`: `.v1` uploads (no longer written).
    public static let upload = StreamCategory("upload")
}
