public import EventSourcing

/// A member created a group (`group-<id>`): its first values, and its creator, who is its
/// owner and first member.
public struct GroupCreated: EventPayload {
    public static let type = "group.created.v1"
    public var name: String
    public var introduction: String
    public var avatarURL: String
    public var ownerID: String

    public init(name: String, introduction: String, avatarURL: String, ownerID: String) {
        (self.name, self.introduction, self.avatarURL, self.ownerID) = (name, introduction, avatarURL, ownerID)
    }

    public init(from r: inout BinaryReader) throws {
        self.init(name: try r.readString(), introduction: try r.readString(), avatarURL: try r.readString(), ownerID: try r.readString())
    }

    public func encode(to w: inout BinaryWriter) { w.write(name); w.write(introduction); w.write(avatarURL); w.write(ownerID) }

    public var json: JSONValue {
        ["name": .string(name), "introduction": .string(introduction), "avatar_url": .string(avatarURL), "owner_id": .string(ownerID)]
    }

    public static let example = GroupCreated(
        name: "Rust 学习小组", introduction: "Weekly reading.", avatarURL: "https://example.com/g.png", ownerID: "01KB7Y3Q0000000000000000AA")
}

/// The owner or an admin changed the group's name, introduction or avatar: all three as
/// they are now, and who changed them.
public struct GroupUpdated: EventPayload {
    public static let type = "group.updated.v1"
    public var name: String
    public var introduction: String
    public var avatarURL: String
    public var actor: String

    public init(name: String, introduction: String, avatarURL: String, actor: String) {
        (self.name, self.introduction, self.avatarURL, self.actor) = (name, introduction, avatarURL, actor)
    }

    public init(from r: inout BinaryReader) throws {
        self.init(name: try r.readString(), introduction: try r.readString(), avatarURL: try r.readString(), actor: try r.readString())
    }

    public func encode(to w: inout BinaryWriter) { w.write(name); w.write(introduction); w.write(avatarURL); w.write(actor) }

    public var json: JSONValue {
        ["name": .string(name), "introduction": .string(introduction), "avatar_url": .string(avatarURL), "actor": .string(actor)]
    }

    public static let example = GroupUpdated(name: "Rust readers", introduction: "", avatarURL: "", actor: "01KB7Y3Q0000000000000000AA")
}

/// The group is gone: every membership with it. `reason`: `owner` (the owner deleted it)
/// or `empty` (its last member's account was deleted).
public struct GroupDeleted: EventPayload {
    public static let type = "group.deleted.v1"
    public var actor: String
    public var reason: String

    public init(actor: String, reason: String) { (self.actor, self.reason) = (actor, reason) }
    public init(from r: inout BinaryReader) throws { self.init(actor: try r.readString(), reason: try r.readString()) }
    public func encode(to w: inout BinaryWriter) { w.write(actor); w.write(reason) }
    public var json: JSONValue { ["actor": .string(actor), "reason": .string(reason)] }
    public static let example = GroupDeleted(actor: "01KB7Y3Q0000000000000000AA", reason: "owner")
}
