import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Synchronization
import Testing

/// logbookd outside dev mode delivers codes to a webhook, signed, retrying when the
/// gateway fails; the gateway here checks the signature itself, as a receiver would.
@Suite(.serialized) struct WebhookDeliveryTests {
    static let secret = "test-webhook-secret-0123456789abcdef"

    /// A request the gateway received: its raw body and `Logbook-Signature` header.
    struct Received: Sendable {
        var body: [UInt8]
        var signature: String?
    }

    /// A receiver's check, written from the README alone: `t=<unix>,v1=<hex>`, the HMAC
    /// over `"<t>." + body` compared in constant time, timestamps within 5 minutes.
    static func verify(signature: String?, body: [UInt8], secret: String, now: Int64) -> Bool {
        guard let signature else { return false }
        var timestamp: Int64?
        var macs: [[UInt8]] = []
        for part in signature.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1", let mac = hexBytes(pair[1]) { macs.append(mac) }
        }
        guard let timestamp, abs(now - timestamp) <= 300 else { return false }
        let key = SymmetricKey(data: Array(secret.utf8))
        let signed = Array("\(timestamp).".utf8) + body
        return macs.contains { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: signed, using: key) }
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        return stride(from: 0, to: digits.count, by: 2).compactMap { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16) }
    }

    static var unixNow: Int64 { Int64(Date().timeIntervalSince1970) }

    /// A gateway on 127.0.0.1 that fails its first call, then answers 200 to a request
    /// whose signature verifies and 401 to any other.
    final class Gateway: Sendable {
        final class Seen: Sendable {
            let received = Mutex<[Received]>([])
            let calls = Mutex(0)
        }
        let port = Int.random(in: 20_000...60_000)
        let seen = Seen()
        let task: Task<Void, any Error>

        init() {
            let router = Router()
            let seen = self.seen
            router.post("/gateway") { request, _ -> HTTPResponse.Status in
                let body = Array(try await request.body.collect(upTo: 1 << 16).readableBytesView)
                let signature = request.headers.first { $0.name.canonicalName == "logbook-signature" }?.value
                guard seen.calls.withLock({ $0 += 1; return $0 }) > 1 else { return .serviceUnavailable }  // the first call fails
                guard WebhookDeliveryTests.verify(signature: signature, body: body, secret: WebhookDeliveryTests.secret, now: WebhookDeliveryTests.unixNow)
                else { return .unauthorized }
                seen.received.withLock { $0.append(Received(body: body, signature: signature)) }
                return .ok
            }
            let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
            task = Task { try await application.runService() }
        }

        var url: String { "http://127.0.0.1:\(port)/gateway" }

        /// POSTs `body` with `signature` straight to the gateway; its status.
        func post(_ body: [UInt8], signature: String?) async -> Int {
            var request = URLRequest(url: URL(string: url)!)
            request.httpMethod = "POST"
            request.setValue(signature, forHTTPHeaderField: "Logbook-Signature")
            request.httpBody = Data(body)
            return ((try? await URLSession.shared.data(for: request))?.1 as? HTTPURLResponse)?.statusCode ?? 0
        }
    }

    /// Starts logbookd against `gateway`, sends one code, and returns what the gateway took.
    static func deliverOne(gateway: Gateway, arguments: [String], environment: [String: String] = [:]) async throws -> Received? {
        let binary = try #require(LogbookdProcessTests.binary, "logbookd must be built next to the tests")
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let port = Int.random(in: 20_000...60_000)
        let server = Process()
        server.executableURL = binary
        server.arguments = ["--data-dir", dataDir, "--port", String(port), "--webhook-url", gateway.url] + arguments
        server.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
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
        // URLSession adds its own `Accept-Language` (English here) unless the request names one.
        request.setValue("zh-CN,zh;q=0.9,en;q=0.5", forHTTPHeaderField: "Accept-Language")
        request.httpBody = Data(#"{"channel":"email","to":"ann@example.com","operation":"bind_email"}"#.utf8)
        var status = 0
        for _ in 0..<100 where status != 201 {
            status = ((try? await URLSession.shared.data(for: request))?.1 as? HTTPURLResponse)?.statusCode ?? 0
            if status != 201 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(status == 201)
        for _ in 0..<100 where gateway.seen.received.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(100)) }
        return gateway.seen.received.withLock { $0.first }
    }

    @Test(.timeLimit(.minutes(2)))
    func signedCodesReachTheWebhookAfterAFailureAndATamperedBodyIsRejected() async throws {
        let gateway = Gateway()
        defer { gateway.task.cancel() }
        let secretFile = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-secret-\(UUID().uuidString)").path
        try (Self.secret + "\n").write(toFile: secretFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: secretFile) }
        let delivered = try await Self.deliverOne(gateway: gateway, arguments: ["--webhook-secret-file", secretFile])
        let message = try #require(delivered, "no verified delivery")
        #expect(gateway.seen.calls.withLock { $0 } >= 2, "the first call failed and was retried")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(message.body)) as? [String: String])
        #expect(object["channel"] == "email" && object["to"] == "ann@example.com")
        #expect(object["body"]?.contains("您正在绑定邮箱") == true, "the bind_email template in the Accept-Language's zh-CN: \(object["body"] ?? "")")
        #expect(object["key"]?.count == 26, "the verification key, for receivers to drop repeats")

        // The receiver's checks: the same request again verifies; a changed body, a missing
        // header or an old timestamp (signed with the right secret) do not.
        #expect(await gateway.post(message.body, signature: message.signature) == 200)
        var tampered = message.body
        if let digit = tampered.firstIndex(where: { (0x30...0x38).contains($0) }) { tampered[digit] += 1 }
        #expect(tampered != message.body)
        #expect(await gateway.post(tampered, signature: message.signature) == 401)
        #expect(await gateway.post(message.body, signature: nil) == 401)
        let old = Self.unixNow - 600
        let key = SymmetricKey(data: Array(Self.secret.utf8))
        let stale = HMAC<SHA256>.authenticationCode(for: Array("\(old).".utf8) + message.body, using: key)
        #expect(await gateway.post(message.body, signature: "t=\(old),v1=" + stale.map { String(format: "%02x", $0) }.joined()) == 401)
    }

    @Test(.timeLimit(.minutes(2)))
    func theSecretCanComeFromTheEnvironment() async throws {
        let gateway = Gateway()
        defer { gateway.task.cancel() }
        let delivered = try await Self.deliverOne(gateway: gateway, arguments: [], environment: ["LOGBOOK_WEBHOOK_SECRET": Self.secret])
        #expect(delivered != nil, "signed with LOGBOOK_WEBHOOK_SECRET")
    }

    @Test func aWebhookWithoutASigningSecretRefusesToStart() throws {
        let binary = try #require(LogbookdProcessTests.binary, "logbookd must be built next to the tests")
        for (arguments, expected) in [
            ([String](), "signing secret"),
            (["--webhook-secret-file", "/nonexistent/webhook-secret"], "does not exist"),
        ] {
            let process = Process()
            process.executableURL = binary
            let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: dataDir) }
            process.arguments = ["--data-dir", dataDir, "--port", String(Int.random(in: 20_000...60_000)),
                                 "--webhook-url", "http://127.0.0.1:9/gateway"] + arguments
            process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "LOGBOOK_WEBHOOK_SECRET" }
            let pipe = Pipe()
            process.standardError = pipe
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
            DispatchQueue.global().asyncAfter(deadline: .now() + 10, execute: watchdog)
            let error = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            watchdog.cancel()
            #expect(process.terminationStatus != 0 && error.contains(expected), "\(arguments): \(error)")
        }
    }
}
