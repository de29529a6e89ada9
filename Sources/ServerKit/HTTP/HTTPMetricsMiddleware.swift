public import Hummingbird

/// Counts and times every answer, errors included, by method, route template (never the
/// path's values: the label set stays bounded) and status.
public struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: MetricsRegistry

    public init(metrics: MetricsRegistry) { self.metrics = metrics }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let method = Self.knownMethods.contains(request.method) ? request.method.rawValue : "OTHER"
            let route = context.endpointPath ?? "NotFound"
            metrics.counter(ServerMetrics.requests, method, route, String(status)).increment()
            metrics.durations(ServerMetrics.requestDuration, method, route).record(ContinuousClock.now - start)
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

    static var knownMethods: Set<HTTPRequest.Method> { [.get, .head, .post, .put, .patch, .delete, .options] }
}
