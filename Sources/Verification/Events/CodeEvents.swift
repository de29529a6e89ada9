public import EventSourcing

/// A code was issued (on `verification-<key>`). No plaintext code or address: the code as
/// a keyed hash, the address masked, and the delivery (address, code, message) sealed.
public struct CodeIssued: EventPayload {
    public static let type = "verification.code-issued.v1"
    public var key: EntityID
    public var channel: Destination.Channel
    public var maskedTo: String
    public var destinationID: String
    public var operation: String
    public var codeHash: [UInt8]
    public var expiresAt: Timestamp
    public var sealedDelivery: [UInt8]

    public init(
        key: EntityID, channel: Destination.Channel, maskedTo: String, destinationID: String, operation: String, codeHash: [UInt8],
        expiresAt: Timestamp, sealedDelivery: [UInt8]
    ) {
        (self.key, self.channel, self.maskedTo, self.destinationID, self.operation) = (key, channel, maskedTo, destinationID, operation)
        (self.codeHash, self.expiresAt, self.sealedDelivery) = (codeHash, expiresAt, sealedDelivery)
    }

    public init(from r: inout BinaryReader) throws {
        guard let key = EntityID(try r.readString()) else { throw BinaryReader.Error(description: "invalid key") }
        guard let channel = Destination.Channel(rawValue: try r.readString()) else { throw BinaryReader.Error(description: "unknown channel") }
        self.init(
            key: key, channel: channel, maskedTo: try r.readString(), destinationID: try r.readString(), operation: try r.readString(),
            codeHash: try r.readBytes(), expiresAt: try r.readTimestamp(), sealedDelivery: try r.readBytes())
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(key.rawValue); w.write(channel.rawValue); w.write(maskedTo); w.write(destinationID)
        w.write(operation); w.write(codeHash); w.write(expiresAt); w.write(sealedDelivery)
    }

    public var json: JSONValue {
        [
            "key": .string(key.rawValue), "channel": .string(channel.rawValue), "to": .string(maskedTo),
            "destination_id": .string(destinationID), "operation": .string(operation), "code_hash": .hex(codeHash),
            "expires_at": .time(expiresAt), "sealed_delivery_bytes": .count(sealedDelivery.count),
        ]
    }

    public static let example = CodeIssued(
        key: .example, channel: .sms,
        maskedTo: "+86137****5678", destinationID: "5e1d", operation: "register", codeHash: Array(repeating: 3, count: 32),
        expiresAt: Timestamp(millisecondsSince1970: 1_795_000_300_000), sealedDelivery: [1, 2, 3])
}

/// A check was made: approved, or wrong with `attemptsLeft` remaining (0 locks the code).
public struct CodeChecked: EventPayload {
    public static let type = "verification.code-checked.v1"
    public var approved: Bool
    public var attemptsLeft: Int
    public init(approved: Bool, attemptsLeft: Int) { (self.approved, self.attemptsLeft) = (approved, attemptsLeft) }
    public init(from r: inout BinaryReader) throws { self.init(approved: try r.readBool(), attemptsLeft: try r.readInt()) }
    public func encode(to w: inout BinaryWriter) { w.write(approved); w.write(attemptsLeft) }
    public var json: JSONValue { ["approved": .bool(approved), "attempts_left": .number(attemptsLeft)] }
    public static let example = CodeChecked(approved: false, attemptsLeft: 4)
}

/// A newer send for the same destination and operation replaced this code.
public struct CodeCanceled: EventPayload {
    public static let type = "verification.code-canceled.v1"
    public var replacedBy: String
    public init(replacedBy: String) { self.replacedBy = replacedBy }
    public init(from r: inout BinaryReader) throws { replacedBy = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(replacedBy) }
    public var json: JSONValue { ["replaced_by": .string(replacedBy)] }
    public static let example = CodeCanceled(replacedBy: "01KB7Y3Q0000000000000000AE")
}

/// The code was destroyed on request (seed 000 `DestroyVerifyCodeByKey`).
public struct CodeDestroyed: EventPayload {
    public static let type = "verification.code-destroyed.v1"
    public init() {}
    public init(from r: inout BinaryReader) throws {}
    public func encode(to w: inout BinaryWriter) {}
    public var json: JSONValue { [:] }
    public static let example = CodeDestroyed()
}

/// The delivery worker's outcome for the code's message (never the message itself).
public struct DeliveryRecorded: EventPayload {
    public static let type = "verification.delivery-recorded.v1"
    public var delivered: Bool
    public var attempt: Int
    public var detail: String
    public init(delivered: Bool, attempt: Int, detail: String) { (self.delivered, self.attempt, self.detail) = (delivered, attempt, detail) }
    public init(from r: inout BinaryReader) throws { self.init(delivered: try r.readBool(), attempt: try r.readInt(), detail: try r.readString()) }
    public func encode(to w: inout BinaryWriter) { w.write(delivered); w.write(attempt); w.write(detail) }
    public var json: JSONValue { ["delivered": .bool(delivered), "attempt": .number(attempt), "detail": .string(detail)] }
    public static let example = DeliveryRecorded(delivered: true, attempt: 1, detail: "delivered")
}

/// A send to a destination (on `destination-<id>`): the rate limits count these.
public struct SendRecorded: EventPayload {
    public static let type = "verification.send-recorded.v1"
    public var key: String
    public var operation: String
    public init(key: String, operation: String) { (self.key, self.operation) = (key, operation) }
    public init(from r: inout BinaryReader) throws { self.init(key: try r.readString(), operation: try r.readString()) }
    public func encode(to w: inout BinaryWriter) { w.write(key); w.write(operation) }
    public var json: JSONValue { ["key": .string(key), "operation": .string(operation)] }
    public static let example = SendRecorded(key: "01KB7Y3Q0000000000000000AE", operation: "register")
}

/// An approved code was used up by another command (`purpose`, for example
/// `register:<member id>`), so it cannot approve a second one.
public struct CodeConsumed: EventPayload {
    public static let type = "verification.code-consumed.v1"
    public var purpose: String
    public init(purpose: String) { self.purpose = purpose }
    public init(from r: inout BinaryReader) throws { purpose = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(purpose) }
    public var json: JSONValue { ["purpose": .string(purpose)] }
    public static let example = CodeConsumed(purpose: "register:01KB7Y3Q0000000000000000AA")
}
