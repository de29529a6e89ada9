import ServerKit
import EventSourcing
import Foundation
import Hummingbird
import ServiceLifecycle

/// `/v1/admin/events`: decoded events in log order, as pages or as a server-sent-events
/// subscription that catches up and then follows the log live.
struct AdminEventRoutes: Sendable {
    let log: any EventLog
    let auth: AdminAuth
    let registry: EventRegistry
    let feed: CommitFeed
    let metrics: MetricsRegistry

    init(log: any EventLog, auth: AdminAuth, registry: EventRegistry, feed: CommitFeed, metrics: MetricsRegistry) {
        (self.log, self.auth, self.registry, self.feed, self.metrics) = (log, auth, registry, feed, metrics)
    }

    func register(on routes: RouteContext) {
        let (log, auth, registry) = (self.log, self.auth, self.registry)
        routes.add(
            .get, "/v1/admin/events", summary: "Admin: decoded events after position `after` (default 0), `limit` 1-1000 (default 100).",
            responses: [
                200: ("Events", .properties(["items": ["type": "array", "items": ["type": "object"]], "next_after": .integer])),
                401: ("No or wrong admin token", nil), 403: ("Admin routes off", nil),
            ],
            query: [
                .integer("after", default: 0, description: "Events after this position."),
                .integer("limit", range: 1...1000, default: 100, description: "Events per page."),
            ]
        ) { request, _ in
            try auth.require(request)
            let after = try request.queryInteger("after", default: 0)
            let limit = try request.queryInteger("limit", default: 100, range: 1...1000)
            let events = try await log.read(from: after + 1, limit: Int(limit))
            let body: JSONValue = [
                "items": .array(events.map(registry.json)), "next_after": .count(events.last.map { $0.position } ?? after),
            ]
            let data = try JSONEncoder.api.encode(body)
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        let (feed, subscribers) = (self.feed, metrics.gauge(OperationsMetrics.sseSubscribers))
        routes.add(
            .get, "/v1/admin/events/stream",
            summary: "Admin: server-sent events (`id` = position, `data` = the event as JSON) after `after` or `Last-Event-ID`, "
                + "then `event: caught-up`, then live; `types` (comma-separated type prefixes) filters.",
            responses: [200: ("text/event-stream", nil), 400: ("Bad after or types", nil), 401: ("No or wrong admin token", nil),
                        403: ("Admin routes off", nil)],
            query: [
                .integer("after", default: 0, description: "Events after this position (or send Last-Event-ID)."),
                .string("types", maxLength: 1024, description: "Comma-separated type prefixes: only events whose type starts with one."),
            ]
        ) { request, _ in
            try auth.require(request)
            let stream = try AdminEventStream(request: request, feed: feed, registry: registry)
            let body = ResponseBody { writer in
                subscribers.increment()
                defer { subscribers.decrement() }
                try await stream.run { text in try await writer.write(ByteBuffer(string: text)) }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
    }
}
