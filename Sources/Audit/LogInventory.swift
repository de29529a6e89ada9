public import EventSourcing
import HTTPAPI

/// What a log says its data directory must hold besides the log: a key slot for every
/// member registered and not deleted, and a file for every upload recorded.
///
/// Read from the events themselves, without the Members module: a member is a stream of
/// category `member` whose first event is `member.registered.v1` or `.v2`, deleted once
/// the stream holds `member.deleted.v1`; an upload is an `upload.stored.v1` event on the
/// stream `upload-<sha256>` (before uploads needed a member) or an `upload.stored.v2` on
/// `uploads-<member id>`, its SHA-256 in the payload (`UploadStored`).
public struct LogInventory: Sendable, Hashable {
    public static let registeredTypes: Set<String> = ["member.registered.v1", "member.registered.v2"]
    public static let deletedType = "member.deleted.v1"
    public static let uploadType = UploadStoredV1.type

    public private(set) var events: UInt64 = 0
    /// Members registered and not deleted (their ids).
    public private(set) var liveMembers: Set<String> = []
    /// SHA-256 (hex) of every upload recorded.
    public private(set) var uploads: Set<String> = []
    /// Positions of upload events whose payload cannot be decoded (a damaged log).
    public private(set) var unreadableUploads: [LogPosition] = []

    public init() {}

    /// Reads every event of `log`.
    public static func scan(_ log: any EventLog) async throws -> LogInventory {
        var inventory = LogInventory()
        var deleted: Set<String> = []
        var next: LogPosition = 1
        while true {
            let batch = try await log.read(from: next, limit: 4096)
            guard let last = batch.last else { break }
            for event in batch {
                switch event.stream.category {
                case "member":
                    if event.version == 1, registeredTypes.contains(event.type) {
                        inventory.liveMembers.insert(String(event.stream.id))
                    } else if event.type == deletedType {
                        deleted.insert(String(event.stream.id))
                    }
                case "upload" where event.type == uploadType:
                    inventory.uploads.insert(String(event.stream.id))
                case "uploads" where event.type == UploadStored.type:
                    if let stored = try? UploadStored(payload: event.payload) {
                        inventory.uploads.insert(stored.sha256)
                    } else {
                        inventory.unreadableUploads.append(event.position)
                    }
                default:
                    break
                }
            }
            inventory.events = last.position
            next = last.position + 1
        }
        inventory.liveMembers.subtract(deleted)
        return inventory
    }
}
