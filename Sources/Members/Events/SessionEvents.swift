public import EventSourcing

/// A session began: the token's SHA-256 (never the token), its expiry and how it was earned.
public struct SessionStarted: EventPayload {
    public static let type = "member.session-started.v1"
    public var id: String
    public var tokenHash: [UInt8]
    public var expiresAt: Timestamp
    /// `password`, `phone`, `registration`, `password_change`.
    public var method: String

    public init(id: String, tokenHash: [UInt8], expiresAt: Timestamp, method: String) {
        (self.id, self.tokenHash, self.expiresAt, self.method) = (id, tokenHash, expiresAt, method)
    }

    public init(from r: inout BinaryReader) throws {
        self.init(id: try r.readString(), tokenHash: try r.readBytes(), expiresAt: try r.readTimestamp(), method: try r.readString())
    }

    public func encode(to w: inout BinaryWriter) { w.write(id); w.write(tokenHash); w.write(expiresAt); w.write(method) }

    public var json: JSONValue {
        ["session_id": .string(id), "token_hash": .hex(tokenHash), "expires_at": .time(expiresAt), "method": .string(method)]
    }

    public static let example = SessionStarted(
        id: "01KB7Y3Q0000000000000000AD", tokenHash: Array(repeating: 7, count: 32),
        expiresAt: Timestamp(millisecondsSince1970: 1_800_000_000_000), method: "password")
}

/// Sessions ended. `reason`: `logout`, `password_changed`, `password_reset`, `disabled`,
/// `deleted`, `session_limit`.
public struct SessionsEnded: EventPayload {
    public static let type = "member.sessions-ended.v1"
    public var ids: [String]
    public var reason: String

    public init(ids: [String], reason: String) { (self.ids, self.reason) = (ids, reason) }

    public init(from r: inout BinaryReader) throws {
        var ids: [String] = []
        for _ in 0..<(try r.readCount(max: 1_000)) { ids.append(try r.readString()) }
        self.init(ids: ids, reason: try r.readString())
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(UInt64(ids.count)); for id in ids { w.write(id) }
        w.write(reason)
    }

    public var json: JSONValue { ["session_ids": .array(ids.map { .string($0) }), "reason": .string(reason)] }

    public static let example = SessionsEnded(ids: ["01KB7Y3Q0000000000000000AD"], reason: "logout")
}

/// A wrong password for this member (counts towards the lockout by its event time).
public struct LoginFailed: EventPayload {
    public static let type = "member.login-failed.v1"
    public init() {}
    public init(from r: inout BinaryReader) throws {}
    public func encode(to w: inout BinaryWriter) {}
    public var json: JSONValue { [:] }
    public static let example = LoginFailed()
}

/// A new password hash. `reason`: `changed` (by the member), `reset` (by code), `admin`.
public struct PasswordChanged: EventPayload {
    public static let type = "member.password-changed.v1"
    public var hash: String
    public var reason: String
    public var actor: String

    public init(hash: String, reason: String, actor: String) { (self.hash, self.reason, self.actor) = (hash, reason, actor) }

    public init(from r: inout BinaryReader) throws { self.init(hash: try r.readString(), reason: try r.readString(), actor: try r.readString()) }

    public func encode(to w: inout BinaryWriter) { w.write(hash); w.write(reason); w.write(actor) }

    public var json: JSONValue { ["password_hash": .string(hash), "reason": .string(reason), "actor": .string(actor)] }

    public static let example = PasswordChanged(hash: "$scrypt$ln=17,r=8,p=1$c2FsdA$aGFzaA", reason: "changed", actor: "member")
}

/// An admin disabled the member: no logins, gone from reads, data kept.
public struct MemberDisabled: EventPayload {
    public static let type = "member.disabled.v1"
    public var actor: String
    public init(actor: String) { self.actor = actor }
    public init(from r: inout BinaryReader) throws { actor = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(actor) }
    public var json: JSONValue { ["actor": .string(actor)] }
    public static let example = MemberDisabled(actor: "admin")
}

/// The member deleted the account: its key is destroyed after this, so every sealed part
/// of it in the log becomes unreadable.
public struct MemberDeleted: EventPayload {
    public static let type = "member.deleted.v1"
    public var actor: String
    public init(actor: String) { self.actor = actor }
    public init(from r: inout BinaryReader) throws { actor = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(actor) }
    public var json: JSONValue { ["actor": .string(actor)] }
    public static let example = MemberDeleted(actor: "member")
}
