#if os(Linux) && arch(x86_64)
import Glibc
#endif
import EventSourcing
import Testing
@testable import Groups
@testable import Members

/// How much the read model holds per membership (ARCHITECTURE.md quotes this figure): the
/// heap in use before and after folding one group of 100,000 members, each also in a
/// second group (as a member of many groups is).
@Suite struct MembershipMemoryTests {
    /// Bytes malloc has handed out and not taken back: glibc's `mallinfo2().uordblks`.
    /// malloc.h is not in Swift's Glibc module, so the function is found with dlsym; its
    /// 80-byte result comes back through a hidden pointer on x86-64 (System V), so it is
    /// called as `void f(struct mallinfo2 *)`.
    static func heapInUse() -> Int? {
        #if os(Linux) && arch(x86_64)
        guard let symbol = dlsym(nil, "mallinfo2") else { return nil }
        let function = unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<Int>) -> Void).self)
        var fields = [Int](repeating: 0, count: 10)
        fields.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { function(base) }
        }
        return fields[7]  // uordblks
        #else
        return nil
        #endif
    }

    @Test func aMembershipCostsAFewHundredBytes() throws {
        let count = 100_000
        let events = [groupID(1), groupID(2)].flatMap { gid in
            (0..<count).map { index in
                GroupEvent.memberJoined(GroupMemberJoined(memberID: id(index + 100))).newEvent(at: t0)
            }.map { (gid, $0) }
        }
        var log = GroupLog()
        try log.makeGroup(groupID(1), owner: id(1))
        try log.makeGroup(groupID(2), owner: id(1))
        guard let before = Self.heapInUse() else { return }
        for (gid, event) in events { log.record(event, on: GroupStreams.group(gid)) }
        log.recorded = []
        guard let after = Self.heapInUse() else { return }
        let perMembership = Double(after - before) / Double(2 * count)
        print("groups read model: \(Int(perMembership)) bytes per membership (\(2 * count) memberships, heap \(before) -> \(after))")
        #expect(log.model.group(groupID(1).rawValue)?.memberCount == count + 1)
        #expect(perMembership > 50 && perMembership < 800)
    }
}
