import EventSourcing
import Synchronization

/// Member search (`GET /v1/members?q=`): usernames and display names in a `TextIndex`
/// (word prefixes, CJK pairs), so a search looks tokens up instead of opening and scanning
/// every member under the lock the commit path needs.
///
/// Display names are personal data and must not rest in a snapshot, so this index lives
/// beside the read model, in memory only: built at start from the opened members and
/// updated by this process's own commands after their appends (this process is the log's
/// only writer). A deleted member leaves it with its deletion.
final class MemberSearchIndex: Sendable {
    private let index = Mutex(TextIndex<String>(prefixes: true))

    func set(_ memberID: String, username: String, displayName: String) {
        index.withLock { $0.set(memberID, text: "\(username) \(displayName)") }
    }

    func remove(_ memberID: String) { index.withLock { $0.remove(memberID) } }

    /// The ids matching `query`; nil when the query has no token (everyone matches).
    func search(_ query: String) -> Set<String>? { index.withLock { $0.search(query) } }
}
