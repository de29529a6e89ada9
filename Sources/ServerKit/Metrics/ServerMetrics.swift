/// The metrics of the HTTP front and the per-client limits.
public enum ServerMetrics {
    public static let requests = CounterMetric(
        "http_server_requests_total", help: "HTTP requests answered, by method, route template and status code.",
        labels: ["method", "route", "status"])
    public static let requestDuration = DurationMetric(
        "http_server_request_duration_seconds", help: "Time from a request's head to its answer, every status included.",
        labels: ["method", "route"])
    public static let rateLimited = CounterMetric(
        "logbook_rate_limited_total", help: "Requests refused by a per-client limit, by action.", labels: ["action"])

    public static let all: [MetricDescription] = [requests.description, requestDuration.description, rateLimited.description]
}
