import HTTPTypes
import ServerKit
import EventSourcing

/// The JSON shapes of the member routes (API.md's Members section) and their schemas.
enum MemberBodies {
    struct Me: Codable {
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

    struct Public: Codable {
        var id, displayName, gender, avatarURL, createdAt: String
        enum CodingKeys: String, CodingKey {
            case id, gender, displayName = "display_name", avatarURL = "avatar_url", createdAt = "created_at"
        }
        init(_ member: PublicMember) {
            (id, displayName, gender) = (member.id, member.displayName, member.gender.rawValue)
            (avatarURL, createdAt) = (member.avatarURL, member.createdAt.rfc3339)
        }
    }

    struct Session: Codable {
        var token, memberID, expiresAt: String
        enum CodingKeys: String, CodingKey { case token, memberID = "member_id", expiresAt = "expires_at" }
        init(_ grant: SessionGrant) { (token, memberID, expiresAt) = (grant.token, grant.memberID, grant.expiresAt.rfc3339) }
    }

    struct Registered: Codable {
        var member: Me
        var token, expiresAt: String
        enum CodingKeys: String, CodingKey { case member, token, expiresAt = "expires_at" }
        init(_ registered: MembersService.Registered) {
            member = Me(registered.me)
            (token, expiresAt) = (registered.session.token, registered.session.expiresAt.rfc3339)
        }
    }

    struct CodeSent: Codable {
        var verificationKey, resendAfter: String
        enum CodingKeys: String, CodingKey { case verificationKey = "verification_key", resendAfter = "resend_after" }
        init(_ sent: MembersService.CodeSent) { (verificationKey, resendAfter) = (sent.verificationKey, sent.resendAfter.rfc3339) }
    }

    // The schemas come from the bodies' own declarations.
    static var me: JSONValue { JSONSchema.of(Me.self) }
    static var publicMember: JSONValue { JSONSchema.of(Public.self) }
    static var session: JSONValue { JSONSchema.of(Session.self) }
    static var codeSent: JSONValue { JSONSchema.of(CodeSent.self) }
}
