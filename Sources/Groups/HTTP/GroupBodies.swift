import EventSourcing
import Members
import ServerKit

/// The JSON shapes of the group routes (API.md's Groups section) and their schemas.
enum GroupBodies {
    /// API.md's Group.
    struct Group: Codable {
        var id, name, introduction, avatarURL, ownerID: String
        var memberCount: Int
        var createdAt, updatedAt: String
        enum CodingKeys: String, CodingKey {
            case id, name, introduction, avatarURL = "avatar_url", ownerID = "owner_id", memberCount = "member_count"
            case createdAt = "created_at", updatedAt = "updated_at"
        }
        init(_ view: GroupView) {
            (id, name, introduction, avatarURL, ownerID) = (view.id, view.name, view.introduction, view.avatarURL, view.ownerID)
            (memberCount, createdAt, updatedAt) = (view.memberCount, view.createdAt.rfc3339, view.updatedAt.rfc3339)
        }
    }

    /// One of the caller's groups: the group, the caller's role and when they joined.
    struct MyGroup: Codable {
        var id, name, introduction, avatarURL, ownerID: String
        var memberCount: Int
        var createdAt, updatedAt: String
        var role: Role
        var joinedAt: String
        enum CodingKeys: String, CodingKey {
            case id, name, introduction, role, avatarURL = "avatar_url", ownerID = "owner_id", memberCount = "member_count"
            case createdAt = "created_at", updatedAt = "updated_at", joinedAt = "joined_at"
        }
        init(_ view: MemberGroupView) {
            let group = view.group
            (id, name, introduction, avatarURL, ownerID) = (group.id, group.name, group.introduction, group.avatarURL, group.ownerID)
            (memberCount, createdAt, updatedAt) = (group.memberCount, group.createdAt.rfc3339, group.updatedAt.rfc3339)
            (role, joinedAt) = (Role(view.role), view.joinedAt.rfc3339)
        }
    }

    /// A member on a group's members page: the public member view with the role.
    struct Member: Codable {
        var id, displayName, gender, avatarURL, createdAt: String
        var role: Role
        var joinedAt: String
        enum CodingKeys: String, CodingKey {
            case id, gender, role, displayName = "display_name", avatarURL = "avatar_url", createdAt = "created_at", joinedAt = "joined_at"
        }
        init(_ view: GroupMemberView) {
            (id, displayName, gender) = (view.member.id, view.member.displayName, view.member.gender.rawValue)
            (avatarURL, createdAt) = (view.member.avatarURL, view.member.createdAt.rfc3339)
            (role, joinedAt) = (Role(view.role), view.joinedAt.rfc3339)
        }
    }

    enum Role: String, Codable, CaseIterable, SchemaEnumeration {
        case owner, admin, member
        init(_ role: GroupRole) {
            switch role {
            case .owner: self = .owner
            case .admin: self = .admin
            case .member: self = .member
            }
        }
    }

    static var group: JSONValue { JSONSchema.of(Group.self) }
}
