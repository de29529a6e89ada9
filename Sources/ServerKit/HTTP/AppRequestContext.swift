public import Hummingbird
public import NIOCore
import Foundation
import HTTPTypes

/// The request context of every route: Hummingbird's core storage, the peer's address,
/// and API.md's body limit.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected peer (nil in in-process tests).
    public let remoteAddress: SocketAddress?

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies over 1 MiB are refused with 413 (API.md).
    public var maxUploadSize: Int { 1 << 20 }
}

/// Who is asking, as the per-client limits and the hashing queue's fairness count it: the
/// peer's IP address, or (behind a trusted reverse proxy only) the first address of
/// `X-Forwarded-For`.
public struct ClientAddressing: Sendable {
    public let trustForwardedFor: Bool

    public init(trustForwardedFor: Bool = false) { self.trustForwardedFor = trustForwardedFor }

    public func address(of request: Request, context: AppRequestContext) -> String {
        if trustForwardedFor, let forwarded = request.headers[.xForwardedFor],
            let first = forwarded.split(separator: ",").first?.trimmingCharacters(in: .whitespaces), !first.isEmpty, first.utf8.count <= 64
        {
            return first
        }
        return context.remoteAddress?.ipAddress ?? "local"
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
