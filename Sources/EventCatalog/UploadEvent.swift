public import EventSourcing

/// What the log records about uploads: the record, never the bytes (those live in the
/// blob store under their SHA-256).
///
/// Uploads have no domain module of their own; their events live here, beside the JSON
/// view of every event, so that both the HTTP front (which appends them and folds
/// `UploadsReadModel`) and `logbook dump` can read them.
public enum UploadEvent: Hashable, Sendable {
    /// `upload.stored.v1` on `upload-<sha256>`: a content stored for the first time, by
    /// nobody in particular (before uploads needed a member). Kept decodable; no longer written.
    case storedV1(sha256: String, size: UInt64, contentType: String)
    /// `upload.stored.v2` on `uploads-<member id>`: a member stored a content (new for
    /// that member, so it counts toward the member's quota once).
    case stored(memberID: String, sha256: String, size: UInt64, contentType: String)

    public static let storedV1Type = "upload.stored.v1"
    public static let storedType = "upload.stored.v2"

    /// The stable type string.
    public var type: String {
        switch self {
        case .storedV1: Self.storedV1Type
        case .stored: Self.storedType
        }
    }

    /// The binary payload (fields in their versioned order).
    public var payload: [UInt8] {
        var w = BinaryWriter()
        switch self {
        case .storedV1(let sha256, let size, let contentType):
            w.write(sha256); w.write(size); w.write(contentType)
        case .stored(let memberID, let sha256, let size, let contentType):
            w.write(memberID); w.write(sha256); w.write(size); w.write(contentType)
        }
        return w.bytes
    }

    /// Decodes a recorded event; nil for types of other domains.
    public init?(_ event: RecordedEvent) throws {
        let decoded: UploadEvent? = try BinaryReader.read(event.payload) { r in
            switch event.type {
            case Self.storedV1Type:
                return .storedV1(sha256: try r.readString(), size: try r.readUInt64(), contentType: try r.readString())
            case Self.storedType:
                return .stored(
                    memberID: try r.readString(), sha256: try r.readString(), size: try r.readUInt64(),
                    contentType: try r.readString())
            default:
                return nil
            }
        }
        guard let decoded else { return nil }
        self = decoded
    }

    /// This event as a `NewEvent` at `time`.
    public func newEvent(at time: Timestamp, metadata: EventMetadata = .none) -> NewEvent {
        NewEvent(type: type, payload: payload, timestamp: time, metadata: metadata)
    }
}

extension StreamCategory {
    /// `uploads-<member id>`: one member's uploads (the quota's stream).
    public static let uploads = StreamCategory("uploads")
}
