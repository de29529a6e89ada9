import EventSourcing
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServerKit
import Testing

@Suite struct MetricsAPITests {
    /// `/metrics` as text.
    static func scrape(_ client: any TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
    }

    /// The value of the series `name{labels}` (labels in any order), if scraped.
    static func value(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let rest = line.dropFirst(name.count)
            guard rest.first == "{" || rest.first == " " else { continue }
            let wanted = labels.allSatisfy { rest.contains("\($0.key)=\"\($0.value)\"") }
            if wanted, let number = rest.split(separator: " ").last.flatMap({ Double($0) }) { return number }
        }
        return nil
    }

    @Test func everyAnswerIsCountedAndTimedByRouteTemplateWithHelpAndType() async throws {
        let server = try await TestServer()
        try await server.test { client in
            _ = try await client.call(.get, "/healthz")
            _ = try await client.call(.get, "/healthz")
            _ = try await client.call(.post, "/v1/verifications", json: "{bad")
            _ = try await client.call(.get, "/v1/verifications/01ARZ3NDEKTSV4RRFFQ69G5FAV")
            _ = try await client.call(.get, "/v1/nothing/here")
            let text = try await Self.scrape(client)
            #expect(Self.value(text, "http_server_requests_total", ["method": "GET", "route": "/healthz", "status": "200"]) == 2)
            #expect(Self.value(text, "http_server_requests_total", ["route": "/v1/verifications", "status": "400"]) == 1)
            #expect(Self.value(text, "http_server_requests_total", ["route": "NotFound", "status": "404"]) == 1)
            // The path's value is not a label: the template is.
            #expect(Self.value(text, "http_server_requests_total", ["route": "/v1/verifications/{key}", "status": "404"]) == 1)
            #expect(!text.contains("01ARZ3NDEKTSV4RRFFQ69G5FAV"))
            // 4xx answers are timed too.
            #expect(Self.value(text, "http_server_request_duration_seconds_count", ["method": "POST", "route": "/v1/verifications"]) == 1)
            #expect(text.contains("# HELP http_server_requests_total "))
            #expect(text.contains("# TYPE http_server_requests_total counter"))
            #expect(text.contains("# TYPE http_server_request_duration_seconds histogram"))
            #expect(!text.contains("hb_"), "Hummingbird's own unsuffixed series are gone")
        }
    }

    @Test func declaredMetricsFollowPrometheusNamingWithBoundedLabels() async throws {
        let server = try await TestServer()
        let catalog = server.server.domains.metricCatalog
        #expect(Set(catalog.map(\.name)).count == catalog.count, "one declaration per name")
        for metric in catalog {
            #expect(metric.name.wholeMatch(of: /[a-z][a-z0-9_]*/) != nil, "\(metric.name)")
            #expect(metric.name.hasPrefix("logbook_") || metric.name.hasPrefix("http_server_"), "\(metric.name)")
            #expect(metric.name.hasSuffix("_total") == (metric.kind == .counter), "\(metric.name): counters and only counters end in _total")
            #expect(!metric.help.isEmpty, "\(metric.name) has HELP text")
            for label in metric.labels {
                #expect(!["id", "member_id", "token", "to", "email", "phone", "path", "key"].contains(label), "\(metric.name){\(label)} is unbounded")
            }
        }
    }

    @Test func unlabeledCountersAndGaugesAreScrapedFromTheStart() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let text = try await Self.scrape(client)
            for metric in server.server.domains.metrics where metric.labels.isEmpty && metric.kind != .histogram {
                #expect(text.contains("# HELP \(metric.name) \(metric.help)"), "\(metric.name)")
                #expect(text.contains("# TYPE \(metric.name) \(metric.kind.rawValue)"), "\(metric.name)")
            }
        }
    }

    @Test func domainsRecordDeliveriesHashingLockoutsAndRateLimits() async throws {
        let limiter = ClientRateLimiter(limits: [.codeSend: .init(count: 1, periodSeconds: 3600)])
        let server = try await TestServer(clients: ClientGuard(limiter: limiter))
        try await server.test { client in
            _ = try await client.sendCode()
            _ = await server.deliveredCode()
            let refused = try await client.call(
                .post, "/v1/verifications", json: #"{"channel":"sms","to":"+8613712345679","operation":"register"}"#)
            #expect(refused.status == .tooManyRequests)
            _ = try await client.registerMember("alice")
            for _ in 0..<5 { _ = try await client.login("alice", "wrong-password-1") }
            #expect(try await client.login("alice").status == .tooManyRequests)
            let text = try await Self.scrape(client)
            #expect(Self.value(text, "logbook_deliveries_total", ["channel": "sms", "outcome": "sent"]) == 1)
            #expect(Self.value(text, "logbook_delivery_duration_seconds_count", ["channel": "sms"]) == 1)
            #expect(Self.value(text, "logbook_rate_limited_total", ["action": "code_send"]) == 1)
            #expect(Self.value(text, "logbook_login_lockouts_total") == 1)
            #expect((Self.value(text, "logbook_password_hash_wait_seconds_count") ?? 0) >= 6)
            #expect(Self.value(text, "logbook_password_hash_queue_depth") == 0)
        }
    }

    @Test func theGrafanaDashboardUsesOnlyMetricsThatExist() async throws {
        let server = try await TestServer()
        let catalog = Dictionary(uniqueKeysWithValues: server.server.domains.metricCatalog.map { ($0.name, $0) })
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../tools/grafana/logbook-dashboard.json")
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        var used = Set<String>()
        for panel in panels {
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                let expr = try #require(target["expr"] as? String)
                for match in expr.matches(of: /(?:logbook|http_server)_[a-z0-9_]+/) {
                    var name = String(match.output)
                    for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) && catalog[name] == nil {
                        name = String(name.dropLast(suffix.count))
                        #expect(catalog[name]?.kind == .histogram, "\(match.output) is a histogram's series")
                    }
                    #expect(catalog[name] != nil, "the dashboard's \(name) is not a declared metric")
                    used.insert(name)
                }
            }
        }
        #expect(used.count >= 15, "the dashboard charts the domains' metrics, not a handful")
    }
}
