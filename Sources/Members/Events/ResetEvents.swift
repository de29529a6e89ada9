public import EventSourcing

/// A password reset began (`passwordreset-<id>`). Real and decoy resets write the same
/// event: a decoy (no account, or its destination rate limited) has no code and no members.
/// `targetKey` (a keyed hash of the identifier) lets a newer reset for the same username,
/// email or phone cancel this one, real or decoy alike.
public struct ResetRequested: EventPayload {
    public static let type = "member.password-reset-requested.v2"
    public var targetKey: String
    /// The reset code's verification key; nil for a decoy.
    public var verificationKey: String?
    public var memberIDs: [String]
    public var expiresAt: Timestamp

    public init(targetKey: String, verificationKey: String?, memberIDs: [String], expiresAt: Timestamp) {
        (self.targetKey, self.verificationKey, self.memberIDs, self.expiresAt) = (targetKey, verificationKey, memberIDs, expiresAt)
    }

    public init(from r: inout BinaryReader) throws {
        let target = try r.readString()
        let key = try r.readOptionalString()
        var ids: [String] = []
        for _ in 0..<(try r.readCount(max: 100)) { ids.append(try r.readString()) }
        self.init(targetKey: target, verificationKey: key, memberIDs: ids, expiresAt: try r.readTimestamp())
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(targetKey); w.write(verificationKey)
        w.write(UInt64(memberIDs.count)); for id in memberIDs { w.write(id) }
        w.write(expiresAt)
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "target_key": .string(targetKey), "member_ids": .array(memberIDs.map { .string($0) }), "expires_at": .time(expiresAt),
        ]
        if let verificationKey { object["verification_key"] = .string(verificationKey) }
        return .object(object)
    }

    /// `.v1` had no target key (such resets are never canceled by a newer one).
    public static let upcasters = [Upcaster<ResetRequested>(from: "member.password-reset-requested.v1") { r in
        let key = try r.readOptionalString()
        var ids: [String] = []
        for _ in 0..<(try r.readCount(max: 100)) { ids.append(try r.readString()) }
        return ResetRequested(targetKey: "", verificationKey: key, memberIDs: ids, expiresAt: try r.readTimestamp())
    }]

    public static let example = ResetRequested(
        targetKey: "5e1d", verificationKey: "01KB7Y3Q0000000000000000AE", memberIDs: ["01KB7Y3Q0000000000000000AA"],
        expiresAt: Timestamp(millisecondsSince1970: 1_800_000_000_000))
}

/// A wrong code for a reset (real or decoy): `attemptsLeft` remain (0 ends the reset).
public struct ResetCheckFailed: EventPayload {
    public static let type = "member.password-reset-check-failed.v1"
    public var attemptsLeft: Int
    public init(attemptsLeft: Int) { self.attemptsLeft = attemptsLeft }
    public init(from r: inout BinaryReader) throws { attemptsLeft = try r.readInt() }
    public func encode(to w: inout BinaryWriter) { w.write(attemptsLeft) }
    public var json: JSONValue { ["attempts_left": .number(attemptsLeft)] }
    public static let example = ResetCheckFailed(attemptsLeft: 4)
}

/// The reset set a new password for `memberID`.
public struct ResetCompleted: EventPayload {
    public static let type = "member.password-reset-completed.v1"
    public var memberID: String
    public init(memberID: String) { self.memberID = memberID }
    public init(from r: inout BinaryReader) throws { memberID = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(memberID) }
    public var json: JSONValue { ["member_id": .string(memberID)] }
    public static let example = ResetCompleted(memberID: "01KB7Y3Q0000000000000000AA")
}
