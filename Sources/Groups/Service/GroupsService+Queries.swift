import HashTreeCollections
import EventSourcing
import Members

extension GroupsService {
    /// `GET /v1/groups?q=`: live groups whose name has words beginning with every word of
    /// `query` (any case; Chinese, Japanese and Korean by characters and pairs), oldest
    /// first, so pages do not shift as groups are created. Without a query, every live
    /// group, each page found in O(log n + page size).
    public func search(_ query: String, range: Range<Int>) -> (items: [GroupView], total: Int) {
        // An O(1) copy: the sort below runs outside the lock the projector needs.
        let model = groups.read { model, _ in model }
        guard let found = model.search.search(query) else {
            let ids = model.listing.values(from: range.lowerBound, limit: range.count)
            return (ids.compactMap { model.group($0).map(GroupView.init) }, model.listing.count)
        }
        // A CJK run of three or more characters is looked up by its pairs: keep the names holding the run.
        let verify = TextTokens.needsVerification(query)
        let ordered = found.compactMap { id in
            model.group(id).flatMap { group in !verify || TextTokens.holdsLongRuns(of: query, in: group.name) ? (group.listKey, id) : nil }
        }.sorted { $0.0 < $1.0 }
        let slice = ordered[min(range.lowerBound, ordered.count)..<min(range.upperBound, ordered.count)]
        return (slice.compactMap { model.group($0.1).map(GroupView.init) }, ordered.count)
    }

    /// `GET /v1/groups/{id}/members`: the owner, the admins (in appointment order), then the
    /// others in join order, with their public profiles and roles; the total is the exact
    /// member count. Nil when there is no such group. O(log n + page size): no sort per
    /// request. Members whose profile is gone (disabled, or deleted and not yet processed
    /// by the reactor) are left out of the page but still counted.
    public func members(of groupID: String, range: Range<Int>) -> (items: [GroupMemberView], total: Int)? {
        guard let group = groups.read({ model, _ in model.group(groupID) }) else { return nil }
        let ids = group.memberIDs(in: range)
        let items = zip(ids, members.publicProfiles(ids)).compactMap { id, profile -> GroupMemberView? in
            guard let membership = group.members[id], let profile else { return nil }
            return GroupMemberView(member: profile, role: membership.role, joinedAt: membership.joinedAt)
        }
        return (items, group.memberCount)
    }

    /// `GET /v1/members/me/groups`: the caller's live groups in the order they joined, with their role.
    public func groups(of memberID: String, range: Range<Int>) -> (items: [MemberGroupView], total: Int) {
        let all = groups.read { model, _ in
            (model.memberGroups[memberID] ?? []).compactMap { id -> MemberGroupView? in
                guard let group = model.group(id), let membership = group.members[memberID] else { return nil }
                return MemberGroupView(group: GroupView(group), role: membership.role, joinedAt: membership.joinedAt)
            }
        }
        let ordered = all.sorted { ($0.joinedAt, $0.group.id) < ($1.joinedAt, $1.group.id) }
        return (Array(ordered[min(range.lowerBound, ordered.count)..<min(range.upperBound, ordered.count)]), ordered.count)
    }
}
