import Foundation
@testable import Groups
import ServerKit
import Testing

/// The group answers that write themselves write what `JSONEncoder.api` writes.
@Suite struct GroupBodiesJSONTests {
    static let text = #"a \"quoted\" / name 中文 \u0001 \n"#
    static let group = #"{"id":"g1","name":"\#(text)","introduction":"\#(text)","avatar_url":"https://x.test/a.png","owner_id":"m1","member_count":3,"created_at":"2026-12-01T10:00:00Z","updated_at":"2026-12-01T10:00:01.5Z"}"#
    static let member = #"{"id":"m2","display_name":"\#(text)","gender":"female","avatar_url":"","created_at":"2026-12-01T10:00:00Z","role":"admin","joined_at":"2026-12-02T00:00:00Z"}"#
    static let myGroup = #"{"id":"g1","name":"n","introduction":"","avatar_url":"","owner_id":"m1","member_count":1,"created_at":"2026-12-01T10:00:00Z","updated_at":"2026-12-01T10:00:00Z","role":"owner","joined_at":"2026-12-01T10:00:00Z"}"#

    func same<T: JSONWritable & Decodable>(_ type: T.Type, _ json: String) throws {
        let value = try JSONDecoder().decode(T.self, from: Data(json.utf8))
        #expect(String(decoding: value.jsonBytes, as: UTF8.self) == String(decoding: try JSONEncoder.api.encode(value), as: UTF8.self))
    }

    @Test func groupsMembersAndMyGroupsAreTheEncodersBytes() throws {
        try same(GroupBodies.Group.self, Self.group)
        try same(GroupBodies.Member.self, Self.member)
        try same(GroupBodies.MyGroup.self, Self.myGroup)
        let page = PageBody(
            items: [try JSONDecoder().decode(GroupBodies.Member.self, from: Data(Self.member.utf8))], request: PageRequest(page: 1, size: 20),
            totalRows: 1)
        #expect(page.jsonBytes == Array(try JSONEncoder.api.encode(page)))
    }
}
