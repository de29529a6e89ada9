import EventSourcing
import Foundation
import Synchronization

/// Member search (`GET /v1/members?q=`): usernames and display names in a `TextIndex`
/// (word prefixes, CJK pairs), so a search looks tokens up instead of opening and scanning
/// every member under the lock the commit path needs; and the same members in username
/// order (a `RankedOrder`), so a page of everyone is O(log n + page) instead of a sort of
/// every member per request.
///
/// Display names are personal data and must not rest in a snapshot, so this index lives
/// beside the read model, in memory only: built at start from the opened members and
/// updated by this process's own commands after their appends (this process is the log's
/// only writer). A deleted member leaves it with its deletion.
final class MemberSearchIndex: Sendable {
    private struct State {
        var text = TextIndex<String>(prefixes: true)
        var byUsername = RankedOrder<UsernameKey>()
        var keys: [String: UsernameKey] = [:]
    }

    private let state = Mutex(State())

    func set(_ memberID: String, username: String, displayName: String) {
        let key = UsernameKey(name: username.lowercased(), id: memberID)
        state.withLock { state in
            state.text.set(memberID, text: "\(username) \(displayName)")
            if let old = state.keys.updateValue(key, forKey: memberID), old != key { state.byUsername.remove(at: old) }
            state.byUsername.insert(memberID, at: key)
        }
    }

    func remove(_ memberID: String) {
        state.withLock { state in
            state.text.remove(memberID)
            if let old = state.keys.removeValue(forKey: memberID) { state.byUsername.remove(at: old) }
        }
    }

    /// Up to `limit` ids from position `start` on of the members matching `query` (every
    /// indexed member when it has no token) in username order, and how many match. Without
    /// a token: a walk of the order. With one, whichever costs less: for a narrow query the
    /// matches' keys are taken under the lock and sorted outside it; for a broad one (`q=a`
    /// matches most members: sorting them all per request would take a pool thread for
    /// tens of milliseconds at a million members) a copy of the username order is walked,
    /// keeping the matches, until the page is full.
    func page(_ query: String, from start: Int, limit: Int) -> (ids: [String], total: Int) {
        // The order is a persistent treap: copied with the matches in O(1), so the walk
        // below sees the same members as the search, whatever changes meanwhile.
        let searched: (matches: Set<String>, order: RankedOrder<UsernameKey>)? = state.withLock { state in
            state.text.search(query).map { ($0, state.byUsername) }
        }
        guard let (matches, order) = searched else {
            return state.withLock { ($0.byUsername.values(from: start, limit: limit), $0.byUsername.count) }
        }
        let all = order.count
        let total = matches.count
        guard start < total, limit > 0 else { return ([], total) }
        // The walk visits about (start + limit) x all / total members; the sort costs about
        // total x log2(total) comparisons.
        let walk = Double(start + limit) * Double(all) / Double(total)
        guard walk > Double(total) * log2(Double(total) + 1) else {
            return (Self.walking(order, keeping: matches, from: start, limit: limit), total)
        }
        let found = state.withLock { state in matches.compactMap { state.keys[$0] } }
        let sorted = found.sorted()
        guard start < sorted.count else { return ([], total) }
        return (sorted[start..<min(sorted.count, start + limit)].map(\.id), total)
    }

    /// The members of `matches` from the `start`-th on, in `order`, walking it 1,024
    /// members at a time (a copy: no lock).
    private static func walking(_ order: RankedOrder<UsernameKey>, keeping matches: Set<String>, from start: Int, limit: Int) -> [String] {
        var ids: [String] = []
        var skipped = 0
        var rank = 0
        while ids.count < limit {
            let chunk = order.values(from: rank, limit: 1024)
            guard !chunk.isEmpty else { break }
            rank += chunk.count
            for id in chunk where matches.contains(id) {
                if skipped < start {
                    skipped += 1
                } else if ids.count < limit {
                    ids.append(id)
                }
            }
        }
        return ids
    }
}

/// A member's place in username order: the lower-cased username, then the id.
struct UsernameKey: RankedOrderKey, Hashable {
    let name: String
    let id: String

    static func < (a: Self, b: Self) -> Bool { (a.name, a.id) < (b.name, b.id) }

    /// FNV-1a over the name and id, spread by SplitMix64: the same in every process.
    var treapPriority: UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        hash = (hash ^ 0xFF) &* 0x100_0000_01B3
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash.treapPriority
    }
}
