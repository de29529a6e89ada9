public import EventSourcing

/// The server's admin pushed a broadcast (`broadcast-<id>`, seed 002
/// `GatewayService.SendToAll`) to the sockets connected at the time: logged so an audit
/// sees every broadcast and a retried request with its `Idempotency-Key` pushes nothing
/// twice. The content is the admin's text, not a member's personal data, so it is plain.
public struct BroadcastSent: EventPayload {
    public static let type = "message.broadcast-sent.v1"
    public var broadcastID: String
    public var content: String
    /// The sockets connected when it was accepted (what the 202 answered).
    public var sockets: UInt64

    public init(broadcastID: String, content: String, sockets: UInt64) {
        (self.broadcastID, self.content, self.sockets) = (broadcastID, content, sockets)
    }

    public init(from r: inout BinaryReader) throws {
        self.init(broadcastID: try r.readString(), content: try r.readString(), sockets: try r.readUInt64())
    }

    public func encode(to w: inout BinaryWriter) { w.write(broadcastID); w.write(content); w.write(sockets) }

    public var json: JSONValue { ["broadcast_id": .string(broadcastID), "content": .string(content), "sockets": .count(sockets)] }

    public static let example = BroadcastSent(broadcastID: "01KB7Y3Q0000000000000000BC", content: "Maintenance at 02:00 UTC.", sockets: 12)
}
