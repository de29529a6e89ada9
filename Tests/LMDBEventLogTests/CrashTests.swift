import EventSourcing
import Foundation
import LMDBEventLog
import Testing

/// A writer killed with SIGKILL at random moments loses nothing it acknowledged.
@Suite struct CrashTests {
    /// `logbook-stress`, built next to the test bundle.
    static var stressTool: URL? {
        let directory = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [directory, Bundle.main.bundleURL] {
            let url = candidate.appendingPathComponent("logbook-stress")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    struct Ack: Hashable {
        var first: LogPosition
        var count: UInt64
        var stream: String
        var lastVersion: StreamVersion
    }

    /// Runs the stress tool for `milliseconds`, kills it, and returns the complete ack lines it printed.
    /// Its output goes to a file: write(2) lands in the page cache at once, so SIGKILL loses no line.
    func runAndKill(tool: URL, directory: String, milliseconds: Int) async throws -> [Ack] {
        let outputPath = directory + ".acks"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let process = Process()
        process.executableURL = tool
        process.arguments = [directory, "16"]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await Task.sleep(for: .milliseconds(milliseconds))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the stress tool should still be running when killed")
        let output = String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
        // Only lines that ended before the kill count.
        return output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 5, parts[0] == "ack", let first = UInt64(parts[1]), let count = UInt64(parts[2]),
                let version = UInt64(parts[4])
            else { return nil }
            return Ack(first: first, count: count, stream: String(parts[3]), lastVersion: version)
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func everyAcknowledgedAppendSurvivesSIGKILL() async throws {
        let tool = try #require(Self.stressTool, "logbook-stress must be built next to the tests (swift build --build-tests)")
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var generator = SystemRandomNumberGenerator()
        var acknowledged = 0
        for round in 0..<12 {
            let acks = try await runAndKill(tool: tool, directory: directory.path, milliseconds: Int.random(in: 150...600, using: &generator))
            acknowledged += acks.count
            let log = try LMDBEventLog(directory: directory.path)
            defer { log.close() }
            let report = try log.verify()
            #expect(report.isValid, "round \(round): \(String(describing: report.firstFailure))")
            #expect(report.events == (try await log.head()).size)
            for ack in acks {
                let events = try await log.read(from: ack.first, limit: Int(ack.count))
                #expect(events.count == Int(ack.count), "round \(round): acknowledged positions \(ack.first)+\(ack.count) missing")
                #expect(events.last?.stream.rawValue == ack.stream)
                #expect(events.last?.version == ack.lastVersion)
            }
        }
        #expect(acknowledged > 100, "the stress tool acknowledged too little to prove anything: \(acknowledged)")
    }
}
