public import EventSourcing

/// What each member has uploaded, for the per-member quota: the bytes counted, the
/// contents (SHA-256) already counted, and the version of the member's
/// `uploads-<member id>` stream (the expected version of the next upload's append, so
/// two concurrent uploads by one member cannot both pass the quota).
///
/// Folded from `upload.stored.v2` events; `upload.stored.v1` (before uploads had an
/// owner) counts for nobody. A content uploaded by two members counts for both.
public struct UploadsReadModel: Projection {
    public static let name = "uploads"
    public static let formatVersion: UInt32 = 1

    /// One member's uploads.
    public struct Usage: Hashable, Sendable {
        public var bytes: UInt64 = 0
        public var contents: Set<String> = []
        public var version: StreamVersion = 0
    }

    /// By member id.
    public private(set) var members: [String: Usage] = [:]

    public init() {}

    /// The member's usage (empty when they never uploaded).
    public func usage(memberID: String) -> Usage { members[memberID] ?? Usage() }

    public mutating func apply(_ event: RecordedEvent) throws {
        guard event.stream.isIn(.uploads), let decoded = try UploadEvent(event) else { return }
        let member = String(event.stream.id)
        var usage = members[member] ?? Usage()
        usage.version = event.version
        if case .stored(let stored) = decoded, usage.contents.insert(stored.sha256).inserted {
            usage.bytes = usage.bytes.addingReportingOverflow(stored.size).overflow ? .max : usage.bytes + stored.size
        }
        members[member] = usage
    }

    /// Canonical: members sorted by id, each member's contents sorted.
    public func snapshot() -> [UInt8] {
        var w = BinaryWriter()
        w.write(UInt64(members.count))
        for member in members.keys.sorted() {
            let usage = members[member] ?? Usage()
            w.write(member); w.write(usage.bytes); w.write(usage.version)
            w.write(UInt64(usage.contents.count))
            for sha256 in usage.contents.sorted() { w.write(sha256) }
        }
        return w.bytes
    }

    public init(snapshot: [UInt8]) throws {
        self.init()
        members = try BinaryReader.read(snapshot) { r in
            var members: [String: Usage] = [:]
            for _ in 0..<(try r.readUInt64()) {
                let member = try r.readString()
                var usage = Usage(bytes: try r.readUInt64(), version: try r.readUInt64())
                for _ in 0..<(try r.readUInt64()) { usage.contents.insert(try r.readString()) }
                members[member] = usage
            }
            return members
        }
    }
}
