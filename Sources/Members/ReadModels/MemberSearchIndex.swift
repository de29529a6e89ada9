import EventSourcing
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
    /// a token: a walk of the order. With one: the matches' keys are taken under the lock
    /// and sorted outside it.
    func page(_ query: String, from start: Int, limit: Int) -> (ids: [String], total: Int) {
        let found: [UsernameKey]? = state.withLock { state in
            guard let ids = state.text.search(query) else { return nil }
            return ids.compactMap { state.keys[$0] }
        }
        guard let found else {
            return state.withLock { ($0.byUsername.values(from: start, limit: limit), $0.byUsername.count) }
        }
        let sorted = found.sorted()
        guard start < sorted.count else { return ([], sorted.count) }
        return (sorted[start..<min(sorted.count, start + limit)].map(\.id), sorted.count)
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
