import HTTPTypes
import ServerKit
import Hummingbird
import EventSourcing

/// `/v1/dev/*`, registered only when the server runs with `--dev`: the codes a
/// newcomer needs to try the API without an SMS gateway.
struct DevRoutes: Sendable {
    let outbox: DevOutbox

    init(outbox: DevOutbox) { self.outbox = outbox }

    struct Item: Encodable {
        var key, channel, to, operation, code, body, sentAt: String
        enum CodingKeys: String, CodingKey { case key, channel, to, operation, code, body, sentAt = "sent_at" }
    }

    struct Items: Encodable { var items: [Item] }

    func register(on routes: RouteContext) {
        let outbox = self.outbox
        routes.add(
            .get, "/v1/dev/outbox", summary: "Dev mode: the messages sent, newest first (with their codes).",
            responses: [200: ("Messages", .properties(["items": ["type": "array", "items": .properties([
                "key": .string, "channel": .string, "to": .string, "operation": .string, "code": .string, "body": .string,
                "sent_at": .dateTime,
            ])]]))],
            query: [.string("to", maxLength: 320, description: "Only messages to this phone number or email address.")]
        ) { request, _ in
            var to: String?
            if let raw = request.uri.queryParameters.get("to") {
                guard let normalised = Destination(channel: .sms, raw: raw) ?? Destination(channel: .email, raw: raw) else {
                    throw APIError.validation(field: "to", "to must be a phone number or an email address.")
                }
                to = normalised.address
            }
            let items = outbox.messages(to: to).map {
                Item(key: $0.message.key, channel: $0.message.channel.rawValue, to: $0.message.to, operation: $0.message.operation,
                     code: $0.message.code, body: $0.message.body, sentAt: $0.sentAt.rfc3339)
            }
            return StoredResponse(status: .ok, encoding: Items(items: items)).response
        }
    }
}
