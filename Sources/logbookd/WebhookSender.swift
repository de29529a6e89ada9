import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Verification

/// Delivers messages by POSTing `{"channel", "to", "body"}` to a gateway URL — how real
/// SMS, voice and email gateways are wired. A non-2xx answer or a network error throws,
/// and the delivery worker retries with backoff. Each request is tried `attempts` times
/// here too, with a short pause, before the worker sees the failure.
struct WebhookSender: Sender {
    let url: URL
    let timeout: TimeInterval
    let attempts: Int

    struct Failed: Error {}

    private struct Payload: Encodable {
        let channel: String
        let to: String
        let body: String
    }

    func send(_ message: DeliveryMessage) async throws {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONEncoder().encode(
            Payload(channel: message.channel.rawValue, to: message.to, body: message.body))
        for attempt in 1...attempts {
            if let (_, response) = try? await URLSession.shared.data(for: request),
                let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status)
            {
                return
            }
            if attempt < attempts { try await Task.sleep(for: .milliseconds(200 * attempt)) }
        }
        throw Failed()
    }
}
