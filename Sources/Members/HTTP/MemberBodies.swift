import HTTPTypes
import ServerKit
import EventSourcing

/// The JSON shapes of the member routes (API.md's Members section) and their schemas.
enum MemberBodies {
    struct Me: Encodable {
        var id, username, displayName, gender, avatarURL: String
        var phone, email: String?
        var emailVerified: Bool
        var createdAt, updatedAt: String
        enum CodingKeys: String, CodingKey {
            case id, username, gender, phone, email
            case displayName = "display_name", avatarURL = "avatar_url", emailVerified = "email_verified"
            case createdAt = "created_at", updatedAt = "updated_at"
        }
        init(_ view: MemberView) {
            (id, username, displayName) = (view.id, view.username, view.personal.displayName)
            (gender, avatarURL, phone, email) = (view.personal.gender.rawValue, view.personal.avatarURL, view.personal.phone, view.personal.email)
            (emailVerified, createdAt, updatedAt) = (view.emailVerified, view.createdAt.rfc3339, view.updatedAt.rfc3339)
        }
    }

    struct Public: Encodable {
        var id, displayName, gender, avatarURL, createdAt: String
        enum CodingKeys: String, CodingKey {
            case id, gender, displayName = "display_name", avatarURL = "avatar_url", createdAt = "created_at"
        }
        init(_ member: PublicMember) {
            (id, displayName, gender) = (member.id, member.displayName, member.gender.rawValue)
            (avatarURL, createdAt) = (member.avatarURL, member.createdAt.rfc3339)
        }
    }

    struct Session: Encodable {
        var token, memberID, expiresAt: String
        enum CodingKeys: String, CodingKey { case token, memberID = "member_id", expiresAt = "expires_at" }
        init(_ grant: SessionGrant) { (token, memberID, expiresAt) = (grant.token, grant.memberID, grant.expiresAt.rfc3339) }
    }

    struct Registered: Encodable {
        var member: Me
        var token, expiresAt: String
        enum CodingKeys: String, CodingKey { case member, token, expiresAt = "expires_at" }
        init(_ registered: MembersService.Registered) {
            member = Me(registered.me)
            (token, expiresAt) = (registered.session.token, registered.session.expiresAt.rfc3339)
        }
    }

    struct CodeSent: Encodable {
        var verificationKey, resendAfter: String
        enum CodingKeys: String, CodingKey { case verificationKey = "verification_key", resendAfter = "resend_after" }
        init(_ sent: MembersService.CodeSent) { (verificationKey, resendAfter) = (sent.verificationKey, sent.resendAfter.rfc3339) }
    }

    struct Page<Item: Encodable>: Encodable {
        var items: [Item]
        var page, pageSize, totalRows, totalPages: Int
        enum CodingKeys: String, CodingKey {
            case items, page, pageSize = "page_size", totalRows = "total_rows", totalPages = "total_pages"
        }
    }

    static let me: JSONValue = .properties([
        "id": .string, "username": .string, "display_name": .string, "gender": .stringEnum(["unknown", "male", "female"]),
        "avatar_url": .string, "phone": .string, "email": .string, "email_verified": .boolean,
        "created_at": .dateTime, "updated_at": .dateTime,
    ])
    static let publicMember: JSONValue = .properties([
        "id": .string, "display_name": .string, "gender": .stringEnum(["unknown", "male", "female"]), "avatar_url": .string,
        "created_at": .dateTime,
    ])
    static let session: JSONValue = .properties(["token": .string, "member_id": .string, "expires_at": .dateTime])
    static let codeSent: JSONValue = .properties(["verification_key": .string, "resend_after": .dateTime])
    static func page(_ item: JSONValue) -> JSONValue {
        .properties([
            "items": ["type": "array", "items": item], "page": .integer, "page_size": .integer, "total_rows": .integer,
            "total_pages": .integer,
        ])
    }
}
