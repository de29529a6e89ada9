import EventSourcing
import Foundation
import Testing

@Suite struct DedicatedThreadTests {
    /// The calling thread's nice value, from `/proc/thread-self/stat` (field 19).
    static func niceness() -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8),
            let afterName = stat.split(separator: ")").last
        else { return nil }
        let fields = afterName.split(separator: " ")
        return fields.count > 16 ? Int(fields[16]) : nil
    }

    @Test func backgroundWorkRunsTenNiceLevelsLowerAndOtherWorkAtTheProcesssOwn() async throws {
        let own = try #require(Self.niceness())
        let background = try await DedicatedThread.run(name: "test-bg", priority: .background) { Self.niceness() }
        let normal = try await DedicatedThread.run(name: "test-normal") { Self.niceness() }
        #expect(background == min(19, own + 10))
        #expect(normal == own)
        #expect(Self.niceness() == own)  // the caller's thread is untouched
    }
}
