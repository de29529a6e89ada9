import Foundation
import Testing

/// The process tests' runner collects both streams whatever their sizes and order.
@Suite struct ChildProcessTests {
    /// A child that fills standard error's pipe before it writes standard output: read one
    /// after the other, the runner and the child would wait on each other for ever (the old
    /// helper of the operating tests did).
    @Test(.timeLimit(.minutes(1))) func aChildFillingStandardErrorFirstIsCollectedWhole() async throws {
        let result = try await ChildProcess(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "head -c 300000 /dev/zero >&2; echo done"]
        ).run()
        #expect(result.status == 0)
        #expect(result.output == "done\n")
        #expect(result.errors.utf8.count == 300_000)
    }

    @Test func mergedStreamsAndTheExitStatusArePassedOn() async throws {
        let result = try await ChildProcess(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "echo out; echo err >&2; exit 3"], mergeErrors: true
        ).run()
        #expect(result.status == 3)
        #expect(result.output == "out\nerr\n")
        #expect(result.errors.isEmpty)
    }

    @Test func theEnvironmentAndDirectoryAreTheChildsOwn() async throws {
        let result = try await ChildProcess(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "echo \"$ONLY_THIS:$(pwd)\"; echo \"${HOME:-none}\""],
            directory: URL(fileURLWithPath: "/tmp"), environment: ["ONLY_THIS": "yes"]
        ).run()
        #expect(result.output == "yes:/tmp\nnone\n")
    }
}
