import EventSourcing
import Feeds
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The post lists: newest, search, following, recommended, and cursors.
@Suite struct FeedListsAPITests {
    @Test func theFollowingTimelineHoldsTheApprovedPostsOfThoseFollowedNewestFirst() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let reader = try await client.registerMember("reader")
            var authors: [(id: String, token: String)] = []
            for index in 0..<3 { authors.append(try await client.registerMember("author\(index)")) }
            let stranger = try await client.registerMember("stranger")
            for author in authors[0..<2] {
                #expect(try await client.call(.put, "/v1/members/\(author.id)/follow", headers: bearer(reader.token)).status == .noContent)
            }
            var expected: [String] = []
            for index in 0..<9 {
                server.clock.advance(seconds: 1)
                let id = try await client.post(authors[index % 3].token, "post \(index)")
                if index % 3 != 2 { expected.insert(id, at: 0) }
                _ = try await client.post(stranger.token, "noise \(index)")
            }
            #expect(try await client.allIDs("/v1/feeds/following", limit: 4, token: reader.token) == expected)
            // A new follow brings the author's earlier posts in; an unfollow takes them out.
            #expect(try await client.call(.put, "/v1/members/\(authors[2].id)/follow", headers: bearer(reader.token)).status == .noContent)
            #expect(try await client.allIDs("/v1/feeds/following", limit: 100, token: reader.token).count == 9)
            #expect(try await client.call(.delete, "/v1/members/\(authors[2].id)/follow", headers: bearer(reader.token)).status == .noContent)
            #expect(try await client.allIDs("/v1/feeds/following", limit: 3, token: reader.token) == expected)
            #expect(try await client.call(.get, "/v1/feeds/following").status == .unauthorized)
            for uri in ["/v1/feeds/following?cursor=bogus", "/v1/feeds/following?limit=0", "/v1/feeds?cursor=bogus", "/v1/members/me/feeds?review_status=bad"] {
                let refused = try await client.call(.get, uri, headers: bearer(reader.token))
                #expect(refused.status == .badRequest && refused.errorCode == "validation_failed", "\(uri): \(refused.json)")
            }
            #expect(try await client.ids("/v1/feeds/following", token: stranger.token).isEmpty)
        }
    }

    @Test func searchMatchesWholeLatinWordsAnyCaseAndAnyRunOfCJK() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let hello = try await client.post(alice.token, "Hello World, the weather is nice")
            let weather = try await client.post(alice.token, "今天天气很好")
            let forecast = try await client.post(alice.token, "明天的天气预报 and WORLD news")
            func search(_ q: String) async throws -> Set<String> {
                Set(try await client.ids("/v1/feeds?q=" + (q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")))
            }
            #expect(try await search("hello") == [hello])
            #expect(try await search("HELLO") == [hello])
            #expect(try await search("world") == [hello, forecast])
            #expect(try await search("wor").isEmpty)
            #expect(try await search("hello world") == [hello])
            #expect(try await search("天气") == [weather, forecast])
            #expect(try await search("天") == [weather, forecast])
            #expect(try await search("今天天气") == [weather])
            #expect(try await search("好") == [weather])
            #expect(try await search("天气 news") == [forecast])
            #expect(try await search("雨").isEmpty)
            #expect(try await search("").count == 3)
            // Edits reindex; deletions leave the index.
            _ = try await client.call(.put, "/v1/feeds/\(hello)", json: #"{"type":"text","content":"goodbye"}"#, headers: bearer(alice.token))
            #expect(try await search("hello").isEmpty)
            #expect(try await search("goodbye") == [hello])
            _ = try await client.call(.delete, "/v1/feeds/\(weather)", headers: bearer(alice.token))
            #expect(try await search("天气") == [forecast])
            #expect(try await client.call(.get, "/v1/feeds?q=\(String(repeating: "a", count: 65))").status == .badRequest)
            // Search pages by cursor like the plain list.
            for index in 0..<7 { _ = try await client.post(alice.token, "paging word \(index)") }
            let paged = try await client.allIDs("/v1/feeds?q=word", limit: 3)
            #expect(paged.count == 7 && Set(paged).count == 7)
        }
    }

    /// A CJK run of three or more characters matches only text holding that run: text with
    /// all its pairs apart (`东京` and `京塔` in `东京和京塔`) is no match, however many such
    /// posts come first, and the search pages through them.
    @Test func aLongCJKQueryMatchesTheRunNotJustItsPairs() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let first = try await client.post(alice.token, "我爱东京塔")
            server.clock.advance(seconds: 1)  // posts of one millisecond are ordered by id
            let second = try await client.post(alice.token, "东京塔的夜景")
            server.clock.advance(seconds: 1)
            for index in 0..<25 { _ = try await client.post(alice.token, "东京和京塔 \(index)") }
            let query = "东京塔".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let found = try await client.allIDs("/v1/feeds?q=" + query, limit: 1)
            #expect(found == [second, first])
            let mine = try await client.call(.get, "/v1/members/me/feeds?q=\(query)&limit=5", headers: bearer(alice.token))
            #expect((mine["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } == [second, first])
            #expect(Set(try await client.allIDs("/v1/feeds?q=" + ("东京".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""), limit: 100)).count == 27)
        }
    }

    @Test func cursorsNeverRepeatOrSkipAPostThatExistedThroughoutWhileOthersWrite() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice"), bob = try await client.registerMember("bob")
            var stable: [String] = [], doomed: [String] = []
            for index in 0..<40 {
                if index % 5 == 0 { server.clock.advance(seconds: 1) }  // several posts share a millisecond
                let id = try await client.post(alice.token, "post \(index)")
                if index % 4 == 0 { doomed.append(id) } else { stable.append(id) }
            }
            var seen: [String] = [], keys: [String] = []
            var cursor: String?
            var round = 0
            repeat {
                // Between pages: new posts, likes and deletions.
                let (turn, victim, liked) = (round, doomed.indices.contains(round) ? doomed[round] : nil, stable.randomElement())
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { _ = try await client.post(bob.token, "interleaved \(turn)") }
                    if let victim {
                        group.addTask { _ = try await client.call(.delete, "/v1/feeds/\(victim)", headers: bearer(alice.token)) }
                    }
                    if let liked {
                        group.addTask { _ = try await client.call(.put, "/v1/feeds/\(liked)/like", headers: bearer(bob.token)) }
                    }
                    try await group.waitForAll()
                }
                let page = try await client.items("/v1/feeds?limit=6" + (cursor.map { "&cursor=\($0)" } ?? ""))
                seen += page.items.compactMap { $0["id"] as? String }
                keys += page.items.compactMap { item in (item["created_at"] as? String).map { "\($0) \(item["id"] as? String ?? "")" } }
                cursor = page.next
                round += 1
            } while cursor != nil
            #expect(Set(seen).count == seen.count, "a post was repeated")
            #expect(Set(stable).isSubset(of: Set(seen)), "a post that existed throughout was skipped")
            #expect(keys == keys.sorted(by: >) && keys.count == seen.count, "not newest first by (created_at, id)")
        }
    }

    @Test func theFollowingTimelineCursorNeverRepeatsOrSkipsWhileFollowedAuthorsWrite() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let reader = try await client.registerMember("reader")
            var authors: [(id: String, token: String)] = []
            for index in 0..<3 {
                let author = try await client.registerMember("author\(index)")
                #expect(try await client.call(.put, "/v1/members/\(author.id)/follow", headers: bearer(reader.token)).status == .noContent)
                authors.append(author)
            }
            var stable: [String] = [], doomed: [(id: String, token: String)] = []
            for index in 0..<30 {
                if index % 4 == 0 { server.clock.advance(seconds: 1) }  // several posts share a millisecond
                let author = authors[index % 3]
                let id = try await client.post(author.token, "post \(index)")
                if index % 3 == 1 { doomed.append((id, author.token)) } else { stable.append(id) }
            }
            var seen: [String] = []
            var cursor: String?
            var round = 0
            repeat {
                // Between pages: followed authors post and delete, someone is liked.
                let (turn, victim, writer) = (round, doomed.indices.contains(round) ? doomed[round] : nil, authors[round % 3])
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { _ = try await client.post(writer.token, "interleaved \(turn)") }
                    if let victim {
                        group.addTask { _ = try await client.call(.delete, "/v1/feeds/\(victim.id)", headers: bearer(victim.token)) }
                    }
                    if let liked = stable.randomElement() {
                        group.addTask { _ = try await client.call(.put, "/v1/feeds/\(liked)/like", headers: bearer(reader.token)) }
                    }
                    try await group.waitForAll()
                }
                let page = try await client.items("/v1/feeds/following?limit=4" + (cursor.map { "&cursor=\($0)" } ?? ""), token: reader.token)
                seen += page.items.compactMap { $0["id"] as? String }
                cursor = page.next
                round += 1
            } while cursor != nil
            #expect(Set(seen).count == seen.count, "a post was repeated")
            #expect(Set(stable).isSubset(of: Set(seen)), "a post that existed throughout was skipped")
        }
    }

    @Test func theRecommendationRanksByTheHotScore() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            var fans: [String] = []
            for index in 0..<4 { fans.append(try await client.registerMember("fan\(index)").token) }
            let old = try await client.post(alice.token, "old but loved")
            for fan in fans { _ = try await client.call(.put, "/v1/feeds/\(old)/like", headers: bearer(fan)) }
            server.clock.advance(seconds: 48 * 3_600)
            let fresh = try await client.post(alice.token, "fresh")
            let liked = try await client.post(alice.token, "fresh and liked")
            _ = try await client.call(.put, "/v1/feeds/\(liked)/like", headers: bearer(fans[0]))
            let ranked = try await client.items("/v1/feeds/recommended?limit=10")
            #expect(ranked.items.compactMap { $0["id"] as? String } == [liked, fresh, old])
            let hots = ranked.items.compactMap { $0["hot"] as? Double }
            #expect(hots == hots.sorted(by: >) && hots.count == 3)
            // (1 + 1)^0.8 / 2^1.8 for the liked fresh post.
            #expect(abs((hots.first ?? 0) - 0.5) < 1e-6)
            #expect(try await client.ids("/v1/feeds/recommended?limit=1") == [liked])
            #expect(try await client.call(.get, "/v1/feeds/recommended?limit=0").status == .badRequest)
            #expect(try await client.call(.get, "/v1/feeds/recommended?limit=101").status == .badRequest)
        }
    }
}
