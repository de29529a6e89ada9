import EventSourcing
import Foundation
import ServerKit

/// The JSON frames of `GET /v1/stream` (API.md Messaging).
enum StreamFrames {
    struct MessageFrame: Encodable {
        let type = "message"
        var message: MessageBodies.Message
        var cursor: String
    }

    struct KickoutFrame: Encodable {
        let type = "kickout"
        var reason: String
    }

    struct BroadcastFrame: Encodable {
        let type = "broadcast"
        var content: String
    }

    struct CaughtUpFrame: Encodable {
        let type = "caught_up"
        var cursor: String
    }

    struct PongFrame: Encodable { let type = "pong" }

    static func text(_ value: some Encodable) -> String {
        if let writable = value as? any JSONWritable { return String(decoding: writable.jsonBytes, as: UTF8.self) }
        return (try? JSONEncoder.api.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func message(_ view: MessageView) -> String {
        text(MessageFrame(message: MessageBodies.Message(view), cursor: StreamCursor.encode(view.position)))
    }
}

extension StreamFrames.MessageFrame: JSONWritable {
    func write(into w: inout JSONWriter) {
        w.raw("{")
        w.key("cursor", first: true); w.string(cursor)
        w.key("message"); message.write(into: &w)
        w.key("type"); w.string(type)
        w.raw("}")
    }
}
