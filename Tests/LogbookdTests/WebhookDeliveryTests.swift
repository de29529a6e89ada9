import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Synchronization
import Testing

/// logbookd outside dev mode delivers codes to a webhook, retrying when the gateway fails.
@Suite(.serialized) struct WebhookDeliveryTests {
    @Test(.timeLimit(.minutes(2)))
    func codesReachTheWebhookAfterAFailure() async throws {
        let binary = try #require(LogbookdProcessTests.binary, "logbookd must be built next to the tests")
        let received = Mutex<[[String: String]]>([])
        let calls = Mutex(0)
        let router = Router()
        router.post("/gateway") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 16)
            guard calls.withLock({ $0 += 1; return $0 }) > 1 else { return .serviceUnavailable }  // the first call fails
            if let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: String] {
                received.withLock { $0.append(object) }
            }
            return .ok
        }
        let gatewayPort = Int.random(in: 20_000...60_000)
        let gateway = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: gatewayPort)))
        let gatewayTask = Task { try await gateway.runService() }
        defer { gatewayTask.cancel() }

        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let port = Int.random(in: 20_000...60_000)
        let server = Process()
        server.executableURL = binary
        server.arguments = ["--data-dir", dataDir, "--port", String(port), "--webhook-url", "http://127.0.0.1:\(gatewayPort)/gateway"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/verifications")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"channel":"email","to":"ann@example.com","operation":"bind_email"}"#.utf8)
        var status = 0
        for _ in 0..<100 where status != 201 {
            status = ((try? await URLSession.shared.data(for: request))?.1 as? HTTPURLResponse)?.statusCode ?? 0
            if status != 201 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(status == 201)
        for _ in 0..<100 where received.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(100)) }
        let message = try #require(received.withLock { $0.first })
        #expect(message["channel"] == "email" && message["to"] == "ann@example.com")
        #expect(message["body"]?.contains("verification code") == true)
        #expect(calls.withLock { $0 } >= 2)
    }
}
