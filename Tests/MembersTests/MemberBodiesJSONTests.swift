import Foundation
@testable import Members
import ServerKit
import Testing

/// The member answers that write themselves write what `JSONEncoder.api` writes.
@Suite struct MemberBodiesJSONTests {
    static let text = #"Zhang \"San\" / 张三 \u0007"#
    static let me = [
        #"{"id":"m1","username":"zs","display_name":"\#(text)","gender":"male","avatar_url":"https://x.test/a.png","phone":"+8613700000000","email":"a@b.test","email_verified":true,"created_at":"2026-12-01T10:00:00Z","updated_at":"2026-12-01T10:00:00.5Z"}"#,
        #"{"id":"m1","username":"zs","display_name":"","gender":"unknown","avatar_url":"","email_verified":false,"created_at":"2026-12-01T10:00:00Z","updated_at":"2026-12-01T10:00:00Z"}"#,
    ]
    static let publicMember = #"{"id":"m1","display_name":"\#(text)","gender":"female","avatar_url":"","created_at":"2026-12-01T10:00:00Z"}"#

    func same<T: JSONWritable & Decodable>(_ type: T.Type, _ json: String) throws {
        let value = try JSONDecoder().decode(T.self, from: Data(json.utf8))
        #expect(String(decoding: value.jsonBytes, as: UTF8.self) == String(decoding: try JSONEncoder.api.encode(value), as: UTF8.self))
    }

    @Test func meAndPublicProfilesAreTheEncodersBytes() throws {
        for json in Self.me { try same(MemberBodies.Me.self, json) }
        try same(MemberBodies.Public.self, Self.publicMember)
    }
}
