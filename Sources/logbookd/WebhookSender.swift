import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Verification

/// Delivers messages by POSTing `{"channel", "to", "body", "key"}` to a gateway URL (how
/// real SMS, voice and email gateways are wired) with AsyncHTTPClient, signed with
/// `Logbook-Signature` (`WebhookSignature`). `key` is the verification key: deliveries are
/// at least once, so a receiver drops a key it has already delivered.
///
/// A non-2xx answer, a network error or a request that outlives `requestTimeout` throws,
/// and the delivery worker retries with backoff. Each message is tried `attempts` times
/// here, with a short pause, before the worker sees the failure; every try is signed
/// anew with the time it is sent. Redirects are not followed (a code goes to the
/// configured host or nowhere), and each try has a hard deadline (`Deadline.run`) that
/// also covers reading the answer.
struct WebhookSender: Sender {
    let url: String
    let client: HTTPClient
    let secret: [UInt8]
    let requestTimeout: Duration
    let attempts: Int
    /// Seconds since 1970, for the signature's timestamp.
    let now: @Sendable () -> Int64

    struct Failed: Error {}

    private struct Payload: Encodable {
        let channel: String
        let to: String
        let body: String
        let key: String
    }

    init(
        url: String, client: HTTPClient, secret: [UInt8], requestTimeout: Duration, attempts: Int,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        (self.url, self.client, self.secret, self.requestTimeout) = (url, client, secret, requestTimeout)
        self.attempts = max(1, attempts)
        self.now = now
    }

    /// A client for webhooks: no redirects followed.
    /// A client with a pool of `connections` to the gateway (the delivery worker's window:
    /// the pool's default of 8 would queue the rest of a larger window).
    static func makeClient(connections: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    func send(_ message: DeliveryMessage) async throws {
        let body = Array(try JSONEncoder().encode(
            Payload(channel: message.channel.rawValue, to: message.to, body: message.body, key: message.key)))
        for attempt in 1...attempts {
            if (try? await post(body)) == true { return }
            if attempt < attempts { try await Task.sleep(for: .milliseconds(200 * attempt)) }
        }
        throw Failed()
    }

    /// One signed POST within `requestTimeout`: whether the gateway answered 2xx.
    private func post(_ body: [UInt8]) async throws -> Bool {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: WebhookSignature.headerName, value: WebhookSignature.value(secret: secret, timestamp: now(), body: body))
        request.body = .bytes(ByteBuffer(bytes: body))
        let (client, timeout, signed) = (self.client, requestTimeout, request)
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        return try await Deadline.run(within: timeout) {
            let response = try await client.execute(signed, timeout: .milliseconds(milliseconds))
            for try await _ in response.body {}  // read to the end, so the connection can be reused
            return (200..<300).contains(response.status.code)
        }
    }
}
