import EventSourcing
import HashTreeCollections
import Testing
@testable import Groups
@testable import Members

let t0 = Timestamp(millisecondsSince1970: 1_795_000_000_000)

/// A well-formed member or group id for tests: `id(7)` is `01KB7Y3Q00000000000000000007`-like.
func id(_ n: Int, prefix: String = "01KB7Y3Q") -> String {
    let digits = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    var value = n
    var out: [Character] = []
    for _ in 0..<(26 - prefix.count) {
        out.append(digits[value % 32])
        value /= 32
    }
    return prefix + String(out.reversed())
}

func groupID(_ n: Int) -> EntityID { EntityID(id(n, prefix: "01KB7Y3G")) ?? .example }

/// A groups read model fed the way the log would feed it, without a log: decisions are
/// appended here (checking their expected versions like a log) and folded in.
struct GroupLog {
    var model = GroupsReadModel()
    var position: LogPosition = 0
    var versions: [StreamID: StreamVersion] = [:]
    var recorded: [RecordedEvent] = []

    func group(_ id: EntityID) -> GroupState? { model.groups[id.rawValue] }

    /// Appends a decision's appends after checking their expected versions; throws the refusal.
    mutating func commit<T>(_ decision: Decision<T>) throws {
        for append in decision.appends {
            let current = versions[append.stream] ?? 0
            guard append.expected.isSatisfied(by: current) else {
                throw EventLogError.wrongExpectedVersion(append.stream, expected: append.expected, actual: current)
            }
            for event in append.events { record(event, on: append.stream) }
        }
    }

    mutating func record(_ event: NewEvent, on stream: StreamID) {
        position += 1
        let version = (versions[stream] ?? 0) + 1
        versions[stream] = version
        let recordedEvent = RecordedEvent(
            position: position, stream: stream, version: version, type: event.type, payload: event.payload, timestamp: event.timestamp,
            metadata: event.metadata)
        recorded.append(recordedEvent)
        do { try model.apply(recordedEvent) } catch { Issue.record(error, "apply \(recordedEvent.type)") }
    }

    /// A group `gid` owned by `owner` with `members` joined in order.
    mutating func makeGroup(_ gid: EntityID, owner: String, members: [String] = [], admins: [String] = [], at time: Timestamp = t0) throws {
        try commit(GroupDecisions.create(id: gid, owner: owner, .init(name: "Group \(gid.rawValue.suffix(3))"), now: time, metadata: .none))
        for member in members {
            try commit(GroupDecisions.join(group(gid), memberID: member, limit: 1_000_000, now: time, metadata: .none))
        }
        for admin in admins {
            try commit(GroupDecisions.setRole(group(gid), target: admin, to: .admin, by: owner, now: time, metadata: .none))
        }
    }

    /// The account deletion of `member`, as the members domain appends it.
    mutating func deleteAccount(_ member: String, at time: Timestamp = t0) {
        let stream = StreamID(.member, EntityID(member) ?? .example)
        record(MemberDeleted(actor: "member").newEvent(at: time), on: stream)
    }
}

/// The refusal `body` threw, if it was a `GroupError`.
func refusal(_ body: () throws -> Void) -> GroupError? {
    do {
        try body()
        return nil
    } catch let error as GroupError {
        return error
    } catch {
        return nil
    }
}

/// The event types of a decision's appends.
func types<T>(_ decision: Decision<T>) -> [String] { decision.appends.flatMap(\.events).map(\.type) }
