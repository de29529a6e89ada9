public import Hummingbird
public import HTTPTypes
import Logging

/// Gives every request an id a user's bug report can be matched with: the client's
/// `X-Request-Id` when it is a sane token (1-128 of `A-Z a-z 0-9 - _ . : / + = @`),
/// otherwise Hummingbird's own. The id goes into the logger's metadata (so into every log
/// line of the request and the events' correlation id), back in `X-Request-Id` on every
/// response, and (through `RequestTrace.current`) into every error body as `request_id`.
///
/// Outermost middleware: it sees the final answer, errors included.
public struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let id = request.headers[.xRequestID].flatMap(RequestIdentity.accepting) ?? context.requestID
        context.logger[metadataKey: RequestIdentity.metadataKey] = .string(id)
        return try await RequestTrace.$current.withValue(RequestTrace(requestID: id)) {
            var response: Response
            do {
                response = try await next(request, context)
            } catch let error as any HTTPResponseError {
                response = try error.response(from: request, context: context)
            }
            response.headers[.xRequestID] = id
            return response
        }
    }
}

/// Where a request's id lives and which client ids are taken as they are.
public enum RequestIdentity {
    /// The logger metadata key: Hummingbird's own, so its `context.id` agrees with ours
    /// (log output spells it `request_id`).
    public static let metadataKey = "hb.request.id"

    /// `value` when it is 1-128 characters of a conservative token alphabet, else nil.
    public static func accepting(_ value: String) -> String? {
        let bytes = value.utf8
        guard (1...128).contains(bytes.count) else { return nil }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                continue
            case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "+"),
                UInt8(ascii: "="), UInt8(ascii: "@"):
                continue
            default:
                return nil
            }
        }
        return value
    }
}

extension RequestContext {
    /// This request's id (see `RequestIDMiddleware`).
    public var requestID: String {
        logger[metadataKey: RequestIdentity.metadataKey]?.description ?? "unknown"
    }
}

extension HTTPField.Name {
    public static let xRequestID = HTTPField.Name("X-Request-Id")!
}
