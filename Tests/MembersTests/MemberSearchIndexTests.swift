@testable import Members
import Testing

@Suite struct MemberSearchIndexTests {
    /// 3,000 members: every page of a broad query (the username order is walked) and of a
    /// narrow one (the matches are sorted) equals the matches in username order, then id.
    @Test func pagesOfBroadAndNarrowQueriesFollowTheUsernameOrder() {
        let index = MemberSearchIndex()
        var members: [(id: String, username: String, displayName: String)] = []
        for n in 0..<3_000 {
            let member = (
                id: "m\(n * 7_919 % 3_000 + 10_000)", username: (n % 3 == 0 ? "river" : "stone") + String(n * 31 % 3_000),
                displayName: n % 100 == 0 ? "Rare Bird" : "Common Name")
            members.append(member)
            index.set(member.id, username: member.username, displayName: member.displayName)
        }
        func expected(_ matches: (String, String) -> Bool) -> [String] {
            members.filter { matches($0.username, $0.displayName) }
                .sorted { ($0.username, $0.id) < ($1.username, $1.id) }.map(\.id)
        }
        let cases: [(query: String, ids: [String])] = [
            ("river", expected { username, _ in username.hasPrefix("river") }),
            ("common", expected { _, name in name == "Common Name" }),
            ("rare", expected { _, name in name == "Rare Bird" }),
        ]
        #expect(cases.map(\.ids.count) == [1_000, 2_970, 30])
        for (query, ids) in cases {
            for (start, limit) in [(0, 20), (20, 20), (980, 20), (990, 50), (2_960, 20), (5_000, 10)] {
                let page = index.page(query, from: start, limit: limit)
                #expect(page.total == ids.count)
                let low = min(start, ids.count)
                #expect(page.ids == Array(ids[low..<min(start + limit, ids.count)]), "\(query) from \(start)")
            }
        }
        #expect(index.page("zzz", from: 0, limit: 10) == ([], 0))
    }
}
