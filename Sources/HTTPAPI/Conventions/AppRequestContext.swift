public import Hummingbird

/// The request context of every route: Hummingbird's core storage, with API.md's body limit.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Bodies over 1 MiB are refused with 413 (API.md).
    public var maxUploadSize: Int { 1 << 20 }
}
