public import Hummingbird
import Logging

/// One log line per request: method, the route template (`/v1/members/:id`: never the
/// path's values or the query, which can carry names, addresses, keys or tokens), status,
/// duration, and the member when a token named one. The request id is in the logger's
/// metadata.
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            var metadata: Logger.Metadata = [
                "method": "\(request.method.rawValue)", "route": "\(context.endpointPath ?? "NotFound")", "status": "\(status)",
                "ms": "\((ms * 100).rounded() / 100)",
            ]
            if let member = RequestTrace.current?.memberID { metadata["member_id"] = .string(member) }
            context.logger.info("request", metadata: metadata)
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as any HTTPResponseError {
            status = error.status.code
            throw error
        }
    }
}
