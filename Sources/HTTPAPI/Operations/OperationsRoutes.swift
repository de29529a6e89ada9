import ServerKit
import EventSourcing
import Hummingbird

/// Health, metrics, the OpenAPI document and the log's head.
struct OperationsRoutes: Sendable {
    let log: any EventLog
    let metrics: MetricsRegistry
    let runtime: ProjectionRuntime
    let readinessLagLimit: UInt64

    init(log: any EventLog, metrics: MetricsRegistry, runtime: ProjectionRuntime, readinessLagLimit: UInt64) {
        (self.log, self.metrics, self.runtime, self.readinessLagLimit) = (log, metrics, runtime, readinessLagLimit)
    }

    struct Head: Encodable {
        var size: UInt64
        var root: String
        var timestamp: String?
    }

    func register(on routes: RouteContext) {
        let (log, metrics, table, runtime) = (self.log, self.metrics, routes.table, self.runtime)
        routes.add(
            .get, "/healthz", summary: "Liveness: 200 while the process answers (API.md). Whether it can serve is /readyz.",
            responses: [200: ("Alive", .properties(["status": .string]))]
        ) { _, _ in
            StoredResponse(status: .ok, encoding: ["status": "ok"]).response
        }
        let readiness = Readiness(log: log, runtime: runtime, lagLimit: readinessLagLimit)
        routes.add(
            .get, "/readyz",
            summary: "Readiness: 200 when the log accepts writes and every read model is live and within the lag limit of the head; "
                + "503 with the reasons otherwise (take the instance out of the load balancer, do not restart it).",
            responses: [
                200: ("Ready", .properties(["status": .string, "head": .integer, "applied": .integer])),
                503: ("Not ready", .properties(["status": .string, "head": .integer, "applied": .integer, "reasons": ["type": "array", "items": ["type": "string"]]])),
            ]
        ) { _, _ in
            let report = try await readiness.check()
            return StoredResponse(status: report.reasons.isEmpty ? .ok : .serviceUnavailable, encoding: report).response
        }
        routes.add(
            .get, "/metrics", summary: "Prometheus metrics (text format).", responses: [200: ("Metrics", nil)]) {
            _, _ in
            let buffer = metrics.emit()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        routes.add(
            .get, "/v1/log/head", summary: "The number of events and the RFC 6962 Merkle root over them.",
            responses: [200: ("Head", .properties(["size": .integer, "root": .string, "timestamp": .dateTime]))]
        ) { _, _ in
            let head = try await log.head()
            return StoredResponse(status: .ok, encoding: Head(
                size: head.size, root: head.root.hex, timestamp: head.timestamp?.rfc3339)).response
        }
        routes.add(
            .get, "/openapi.json", summary: "This API's OpenAPI 3.1 document.",
            responses: [200: ("The document", nil)]
        ) { _, _ in
            StoredResponse(status: .ok, encoding: OpenAPIDocument(table: table).json).response
        }
    }
}
