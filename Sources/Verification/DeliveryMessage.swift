import EventSourcing

/// What a sender needs to deliver a code: sealed into the `codeIssued` event, opened
/// only by the delivery worker.
public struct DeliveryMessage: Hashable, Sendable {
    public var channel: Destination.Channel
    public var to: String
    public var operation: String
    public var code: String
    public var body: String
    /// The verification key the message belongs to (set by the worker; not sealed).
    public var key: String = ""

    public init(channel: Destination.Channel, to: String, operation: String, code: String, body: String) {
        self.channel = channel
        self.to = to
        self.operation = operation
        self.code = code
        self.body = body
    }

    var encoded: [UInt8] {
        var w = BinaryWriter()
        w.write(channel.rawValue); w.write(to); w.write(operation); w.write(code); w.write(body)
        return w.bytes
    }

    /// Opens a sealed delivery with `secrets`.
    public init(sealed: [UInt8], secrets: CodeSecrets) throws {
        let plain = try secrets.open(sealed)
        self = try BinaryReader.read(plain) { r in
            guard let channel = Destination.Channel(rawValue: try r.readString()) else {
                throw BinaryReader.Error(description: "unknown channel")
            }
            return DeliveryMessage(
                channel: channel, to: try r.readString(), operation: try r.readString(), code: try r.readString(),
                body: try r.readString())
        }
    }
}
