import ServerKit
public import EventSourcing
import Hummingbird

/// Health, metrics, the OpenAPI document and the log's head.
struct OperationsRoutes: Sendable {
    let log: any EventLog
    let metrics: MetricsRegistry

    init(log: any EventLog, metrics: MetricsRegistry) {
        self.log = log
        self.metrics = metrics
    }

    struct Head: Encodable {
        var size: UInt64
        var root: String
        var timestamp: String?
    }

    func register(on routes: RouteContext) {
        let (log, metrics, table) = (self.log, self.metrics, routes.table)
        routes.add(
            .get, "/healthz", summary: "Health: 503 when the log cannot write.",
            responses: [
                200: ("OK", .properties(["status": .string])),
                503: ("The log's last commit failed", .properties(["status": .string, "reason": .string])),
            ]
        ) { _, _ in
            if let reporting = log as? any LogHealthReporting, case .failing(let reason) = reporting.health {
                return StoredResponse(status: .serviceUnavailable, encoding: ["status": "unavailable", "reason": reason]).response
            }
            return StoredResponse(status: .ok, encoding: ["status": "ok"]).response
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
