import ServerKit

// The group answers written straight to bytes (members pages are up to 100 rows), in
// the order `JSONEncoder.api` writes their keys: sorted.

extension GroupBodies.Group: JSONWritable {
    func write(into w: inout JSONWriter) {
        w.raw("{")
        w.key("avatar_url", first: true); w.string(avatarURL)
        w.key("created_at"); w.string(createdAt)
        w.key("id"); w.string(id)
        w.key("introduction"); w.string(introduction)
        w.key("member_count"); w.integer(memberCount)
        w.key("name"); w.string(name)
        w.key("owner_id"); w.string(ownerID)
        w.key("updated_at"); w.string(updatedAt)
        w.raw("}")
    }
}

extension GroupBodies.MyGroup: JSONWritable {
    func write(into w: inout JSONWriter) {
        w.raw("{")
        w.key("avatar_url", first: true); w.string(avatarURL)
        w.key("created_at"); w.string(createdAt)
        w.key("id"); w.string(id)
        w.key("introduction"); w.string(introduction)
        w.key("joined_at"); w.string(joinedAt)
        w.key("member_count"); w.integer(memberCount)
        w.key("name"); w.string(name)
        w.key("owner_id"); w.string(ownerID)
        w.key("role"); w.string(role.rawValue)
        w.key("updated_at"); w.string(updatedAt)
        w.raw("}")
    }
}

extension GroupBodies.Member: JSONWritable {
    func write(into w: inout JSONWriter) {
        w.raw("{")
        w.key("avatar_url", first: true); w.string(avatarURL)
        w.key("created_at"); w.string(createdAt)
        w.key("display_name"); w.string(displayName)
        w.key("gender"); w.string(gender)
        w.key("id"); w.string(id)
        w.key("joined_at"); w.string(joinedAt)
        w.key("role"); w.string(role.rawValue)
        w.raw("}")
    }
}
