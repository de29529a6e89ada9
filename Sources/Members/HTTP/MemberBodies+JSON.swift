import ServerKit

// The member answers read most often (`GET /v1/members/me`, public profiles and search
// pages), written straight to bytes, keys sorted as `JSONEncoder.api` writes them.

extension MemberBodies.Me: JSONWritable {
    func write(into w: inout JSONWriter) {
        w.raw("{")
        w.key("avatar_url", first: true); w.string(avatarURL)
        w.key("created_at"); w.string(createdAt)
        w.key("display_name"); w.string(displayName)
        if let email { w.key("email"); w.string(email) }
        w.key("email_verified"); w.bool(emailVerified)
        w.key("gender"); w.string(gender)
        w.key("id"); w.string(id)
        if let phone { w.key("phone"); w.string(phone) }
        w.key("updated_at"); w.string(updatedAt)
        w.key("username"); w.string(username)
        w.raw("}")
    }
}

extension MemberBodies.Public: JSONWritable {
    func write(into w: inout JSONWriter) {
        w.raw("{")
        w.key("avatar_url", first: true); w.string(avatarURL)
        w.key("created_at"); w.string(createdAt)
        w.key("display_name"); w.string(displayName)
        w.key("gender"); w.string(gender)
        w.key("id"); w.string(id)
        w.raw("}")
    }
}
