#if os(Linux) && arch(x86_64)
import Glibc
#endif
import EventSourcing
import Foundation
import Testing
@testable import Groups
@testable import Members

/// How much the read model holds per membership (ARCHITECTURE.md quotes this figure): the
/// heap in use before and after folding a group of 100,000 members, then a second group of
/// the same members (as a member of many groups is).
///
/// The heap is the whole process's, so other tests running at the same time make the
/// figure meaningless: this runs only when asked, alone:
/// `LOGBOOK_MEASURE_MEMORY=1 swift test --filter MembershipMemoryTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LOGBOOK_MEASURE_MEMORY"] != nil))
struct MembershipMemoryTests {
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
        let joins = [groupID(1), groupID(2)].map { gid in
            (0..<count).map { index in (gid, GroupEvent.memberJoined(GroupMemberJoined(memberID: id(index + 100))).newEvent(at: t0)) }
        }
        var log = GroupLog()
        try log.makeGroup(groupID(1), owner: id(1))
        try log.makeGroup(groupID(2), owner: id(1))
        guard let before = Self.heapInUse() else { return }
        var heap = [before]
        for group in joins {
            for (gid, event) in group { log.record(event, on: GroupStreams.group(gid)) }
            log.recorded = []
            heap.append(Self.heapInUse() ?? 0)
        }
        // A member's first group holds their id too; later groups share it.
        let first = Double(heap[1] - heap[0]) / Double(count), more = Double(heap[2] - heap[1]) / Double(count)
        print("groups read model: \(Int(first)) bytes per membership in a member's first group, \(Int(more)) in each further group")
        #expect(log.model.group(groupID(1).rawValue)?.memberCount == count + 1)
        #expect(first > 50 && first < 800 && more > 50 && more <= first)
    }
}
