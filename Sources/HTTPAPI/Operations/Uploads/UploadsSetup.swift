public import EventSourcing

/// What the upload routes need from the server: where bytes go, the usage read model
/// (registered with the server's `ProjectionRuntime` like every read model), and the
/// per-member quota (`--upload-quota-bytes`).
public struct UploadsSetup: Sendable {
    public var store: any BlobStore
    public var usage: LiveProjection<UploadsReadModel>
    public var quotaBytes: UInt64

    /// The quota when the server is not told otherwise: 100 MiB per member.
    public static let defaultQuotaBytes: UInt64 = 100 << 20

    public init(store: any BlobStore, usage: LiveProjection<UploadsReadModel>, quotaBytes: UInt64 = defaultQuotaBytes) {
        self.store = store
        self.usage = usage
        self.quotaBytes = quotaBytes
    }
}
