public import EventSourcing

/// A member joined the group (as a plain member, at the end of the join order).
public struct GroupMemberJoined: EventPayload {
    public static let type = "group.member-joined.v1"
    public var memberID: String
    public init(memberID: String) { self.memberID = memberID }
    public init(from r: inout BinaryReader) throws { memberID = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(memberID) }
    public var json: JSONValue { ["member_id": .string(memberID)] }
    public static let example = GroupMemberJoined(memberID: "01KB7Y3Q0000000000000000AB")
}

/// A member is no longer in the group. `reason`: `left` (by themselves), `removed` (by the
/// owner or an admin, the `actor`) or `account_deleted` (the member deleted their account).
public struct GroupMemberLeft: EventPayload {
    public static let type = "group.member-left.v1"
    public var memberID: String
    public var actor: String
    public var reason: String

    public init(memberID: String, actor: String, reason: String) { (self.memberID, self.actor, self.reason) = (memberID, actor, reason) }

    public init(from r: inout BinaryReader) throws {
        self.init(memberID: try r.readString(), actor: try r.readString(), reason: try r.readString())
    }

    public func encode(to w: inout BinaryWriter) { w.write(memberID); w.write(actor); w.write(reason) }
    public var json: JSONValue { ["member_id": .string(memberID), "actor": .string(actor), "reason": .string(reason)] }
    public static let example = GroupMemberLeft(memberID: "01KB7Y3Q0000000000000000AB", actor: "01KB7Y3Q0000000000000000AB", reason: "left")
}

/// The owner appointed (`admin`) or dismissed (`member`) an admin.
public struct GroupRoleChanged: EventPayload {
    public static let type = "group.role-changed.v1"
    public var memberID: String
    /// `admin` or `member`.
    public var role: String
    public var actor: String

    public init(memberID: String, role: String, actor: String) { (self.memberID, self.role, self.actor) = (memberID, role, actor) }

    public init(from r: inout BinaryReader) throws {
        self.init(memberID: try r.readString(), role: try r.readString(), actor: try r.readString())
    }

    public func encode(to w: inout BinaryWriter) { w.write(memberID); w.write(role); w.write(actor) }
    public var json: JSONValue { ["member_id": .string(memberID), "role": .string(role), "actor": .string(actor)] }
    public static let example = GroupRoleChanged(memberID: "01KB7Y3Q0000000000000000AB", role: "admin", actor: "01KB7Y3Q0000000000000000AA")
}

/// Ownership passed from `from` to `to` (a member); `from`, if still a member, becomes an
/// admin. `reason`: `handed_over` (by the owner) or `account_deleted` (the owner deleted
/// their account: the longest-standing admin, else the longest-standing member, took over).
public struct GroupOwnerChanged: EventPayload {
    public static let type = "group.owner-changed.v1"
    public var from: String
    public var to: String
    public var reason: String

    public init(from: String, to: String, reason: String) { (self.from, self.to, self.reason) = (from, to, reason) }
    public init(from r: inout BinaryReader) throws { self.init(from: try r.readString(), to: try r.readString(), reason: try r.readString()) }
    public func encode(to w: inout BinaryWriter) { w.write(from); w.write(to); w.write(reason) }
    public var json: JSONValue { ["from": .string(from), "to": .string(to), "reason": .string(reason)] }
    public static let example = GroupOwnerChanged(from: "01KB7Y3Q0000000000000000AA", to: "01KB7Y3Q0000000000000000AB", reason: "handed_over")
}
