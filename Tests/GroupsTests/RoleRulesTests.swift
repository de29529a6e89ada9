import EventSourcing
import Testing
@testable import Groups
@testable import Members

/// API.md's role rules, table by table (the same tables as ARCHITECTURE.md's Groups section).
@Suite struct RoleRulesTests {
    let owner = id(1), admin = id(2), admin2 = id(3), member = id(4), member2 = id(5), outsider = id(9)
    let gid = groupID(7)

    enum Outcome: Equatable {
        case events([String])
        case nothing
        case refused(GroupError)
    }

    enum Action {
        case remove(String), appoint(String), dismiss(String), handOver(String), update, delete, join
    }

    func group() throws -> GroupState {
        var log = GroupLog()
        try log.makeGroup(gid, owner: owner, members: [admin, admin2, member, member2], admins: [admin, admin2])
        return try #require(log.group(gid))
    }

    func outcome(_ action: Action, by actor: String) throws -> Outcome {
        let group = try group()
        do {
            let decision: Decision<Void>
            switch action {
            case .remove(let target): decision = try GroupDecisions.remove(group, target: target, by: actor, now: t0, metadata: .none)
            case .appoint(let target): decision = try GroupDecisions.setRole(group, target: target, to: .admin, by: actor, now: t0, metadata: .none)
            case .dismiss(let target): decision = try GroupDecisions.setRole(group, target: target, to: .member, by: actor, now: t0, metadata: .none)
            case .handOver(let target): decision = try GroupDecisions.handOver(group, to: target, by: actor, now: t0, metadata: .none)
            case .update:
                let updated = try GroupDecisions.update(group, by: actor, .init(name: "New name"), now: t0, metadata: .none)
                decision = Decision(updated.appends, ())
            case .delete: decision = try GroupDecisions.delete(group, by: actor, now: t0, metadata: .none)
            case .join: decision = try GroupDecisions.join(group, memberID: actor, limit: 100, now: t0, metadata: .none)
            }
            let types = types(decision)
            return types.isEmpty ? .nothing : .events(types)
        } catch {
            if case .forbidden = error { return .refused(.forbidden(reason: "")) }
            return .refused(error)
        }
    }

    static let forbidden = Outcome.refused(.forbidden(reason: ""))
    static let left = Outcome.events([GroupMemberLeft.type])

    func check(_ table: [(String, Action, Outcome)], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (actor, action, expected) in table {
            #expect(try outcome(action, by: actor) == expected, "\(actor) \(action)", sourceLocation: sourceLocation)
        }
    }

    @Test func removalsAndLeaving() throws {
        try check([
            (owner, .remove(owner), .refused(.ownerCannotLeave)), (owner, .remove(admin), Self.left), (owner, .remove(member), Self.left),
            (owner, .remove(outsider), .nothing),
            (admin, .remove(owner), Self.forbidden), (admin, .remove(admin2), Self.forbidden), (admin, .remove(member), Self.left),
            (admin, .remove(admin), Self.left), (admin, .remove(outsider), .nothing),
            (member, .remove(owner), Self.forbidden), (member, .remove(admin), Self.forbidden), (member, .remove(member2), Self.forbidden),
            (member, .remove(member), Self.left),
            (outsider, .remove(member), Self.forbidden), (outsider, .remove(outsider), .nothing),
        ])
    }

    @Test func rolesAreTheOwnersAlone() throws {
        let appointed = Outcome.events([GroupRoleChanged.type])
        try check([
            (owner, .appoint(member), appointed), (owner, .dismiss(admin), appointed), (owner, .appoint(admin), .nothing),
            (owner, .dismiss(member), .nothing), (owner, .appoint(owner), .refused(.ownerRoleFixed)),
            (owner, .dismiss(owner), .refused(.ownerRoleFixed)), (owner, .appoint(outsider), .refused(.notAMember)),
            (admin, .appoint(member), Self.forbidden), (admin, .dismiss(admin2), Self.forbidden),
            (member, .appoint(member), Self.forbidden), (outsider, .appoint(member), Self.forbidden),
        ])
    }

    @Test func ownershipAndTheGroupItself() throws {
        let handed = Outcome.events([GroupOwnerChanged.type])
        try check([
            (owner, .handOver(member), handed), (owner, .handOver(admin), handed), (owner, .handOver(owner), .nothing),
            (owner, .handOver(outsider), .refused(.notAMember)),
            (admin, .handOver(member), Self.forbidden), (member, .handOver(member), Self.forbidden), (outsider, .handOver(outsider), Self.forbidden),
            (owner, .update, .events([GroupUpdated.type])), (admin, .update, .events([GroupUpdated.type])),
            (member, .update, Self.forbidden), (outsider, .update, Self.forbidden),
            (owner, .delete, .events([GroupDeleted.type])), (admin, .delete, Self.forbidden), (member, .delete, Self.forbidden),
            (outsider, .delete, Self.forbidden),
            (outsider, .join, .events([GroupMemberJoined.type])), (member, .join, .nothing), (owner, .join, .nothing),
        ])
    }
}
