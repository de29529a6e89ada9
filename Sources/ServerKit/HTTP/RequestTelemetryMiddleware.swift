public import Hummingbird
import Logging
import Synchronization

/// What every answer leaves behind, errors included:
///
/// - **one log line**: method, the route template (`/v1/members/{id}`: never the path's
///   values or the query, which can carry names, addresses, keys or tokens), status,
///   duration, and the member when a token named one (the request id is in the logger's
///   metadata);
/// - **metrics**: `http_server_requests_total` by method, route template and status, and
///   `http_server_request_duration_seconds` by method and route template (bounded labels).
public struct RequestTelemetryMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: MetricsRegistry
    let series = SeriesCache()

    public init(metrics: MetricsRegistry) { self.metrics = metrics }

    /// Each (method, route, status)'s series, looked up in Prometheus' registry once.
    final class SeriesCache: Sendable {
        struct Key: Hashable {
            var method: String
            var route: String
            var status: Int
        }

        let handles = Mutex<[Key: (requests: MetricCounter, durations: MetricDurations)]>([:])
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer { record(request, context, status: status, elapsed: ContinuousClock.now - start) }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as any HTTPResponseError {
            status = error.status.code
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, elapsed: Duration) {
        let method = knownMethods.contains(request.method) ? request.method.rawValue : "OTHER"
        let route = context.endpointPath ?? "NotFound"
        let handles = series.handles.withLock { series in
            let key = SeriesCache.Key(method: method, route: route, status: status)
            if let known = series[key] { return known }
            let made = (
                metrics.counter(ServerMetrics.requests, method, route, String(status)),
                metrics.durations(ServerMetrics.requestDuration, method, route)
            )
            series[key] = made
            return made
        }
        handles.requests.increment()
        handles.durations.record(elapsed)
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "method": "\(method)", "route": "\(route)", "status": "\(status)", "ms": "\((ms * 100).rounded() / 100)",
        ]
        if let member = RequestTrace.current?.memberID { metadata["member_id"] = .string(member) }
        context.logger.info("request", metadata: metadata)
    }

}

/// Methods named in the metrics; any other is `OTHER` (labels stay bounded). Built once:
/// a computed set built and hashed it again for every request.
private let knownMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options]
