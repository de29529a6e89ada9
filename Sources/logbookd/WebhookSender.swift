import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Verification

/// Delivers messages by POSTing `{"channel", "to", "body"}` to a gateway URL — how real
/// SMS, voice and email gateways are wired. A non-2xx answer, a network error or a
/// request that outlives `requestTimeout` throws, and the delivery worker retries with
/// backoff. Each request is tried `attempts` times here, with a short pause, before the
/// worker sees the failure; the worker's own send timeout bounds the whole call.
///
/// Each request has a hard deadline (`Deadline.run`), not only URLSession's idle
/// timeout, which a gateway trickling bytes would keep resetting.
struct WebhookSender: Sender {
    let url: URL
    let requestTimeout: Duration
    let attempts: Int
    private let session: URLSession

    struct Failed: Error {}

    private struct Payload: Encodable {
        let channel: String
        let to: String
        let body: String
    }

    init(url: URL, requestTimeout: Duration, attempts: Int) {
        self.url = url
        self.requestTimeout = requestTimeout
        self.attempts = max(1, attempts)
        let seconds = Double(requestTimeout.components.seconds) + Double(requestTimeout.components.attoseconds) / 1e18
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        session = URLSession(configuration: configuration)
    }

    func send(_ message: DeliveryMessage) async throws {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONEncoder().encode(
            Payload(channel: message.channel.rawValue, to: message.to, body: message.body))
        for attempt in 1...attempts {
            if (try? await post(request)) == true { return }
            if attempt < attempts { try await Task.sleep(for: .milliseconds(200 * attempt)) }
        }
        throw Failed()
    }

    /// One POST within `requestTimeout`: whether the gateway answered 2xx.
    private func post(_ request: URLRequest) async throws -> Bool {
        let session = self.session
        let status = try await Deadline.run(within: requestTimeout) {
            let (_, response) = try await session.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        }
        return (200..<300).contains(status)
    }
}
