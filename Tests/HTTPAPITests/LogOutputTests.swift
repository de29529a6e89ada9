import Foundation
import Logging
@testable import ServerKit
import Synchronization
import Testing

/// The log output writes from a thread of its own: a reader that stops reading (a stalled
/// journald, a paused pipe) must not stop the callers, only cost lines, and say how many.
@Suite struct LogOutputTests {
    @Test func aReaderThatStopsReadingNeverBlocksTheCallersAndTheLossIsCounted() throws {
        let pipe = Pipe()
        let output = LogOutput(descriptor: pipe.fileHandleForWriting.fileDescriptor, capacity: 16 << 10)
        let logger = Logger(label: "unit") { LogbookLogHandler(label: $0, format: .text, level: .info, output: output) }
        let line = String(repeating: "x", count: 100)
        // Nobody reads the pipe (64 KiB on Linux) while 5,000 lines (over 500 KiB) are logged:
        // a write(2) on the caller's thread would block here for good.
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            for index in 0..<5_000 { logger.info("entry", metadata: ["n": "\(index)", "pad": "\(line)"]) }
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 20) == .success, "logging blocked on a pipe nobody reads")

        // Start reading: one more line after the reader is back brings the note.
        let reader = PipeReader(pipe)
        output.flush()
        logger.info("entry", metadata: ["n": "5000", "pad": "\(line)"])
        output.flush()
        try pipe.fileHandleForWriting.close()
        let text = try #require(reader.text(within: .seconds(20)))
        let lines = text.split(separator: "\n")
        let entries = lines.filter { $0.contains(" unit: entry ") }
        let notes = lines.filter { $0.contains(" warning unit: log lines dropped count=") }
        let dropped = notes.compactMap { Int($0.split(separator: "=").last ?? "") }.reduce(0, +)
        #expect(dropped > 0 && notes.count == notes.compactMap { Int($0.split(separator: "=").last ?? "") }.count)
        #expect(entries.count + dropped == 5_001, "every line written or counted")
        let numbers = entries.compactMap { entry in entry.firstMatch(of: /n=(\d+)/).flatMap { Int($0.1) } }
        #expect(numbers == numbers.sorted(), "lines in the order they were logged")
        #expect(numbers.last == 5_000)
        #expect(entries.allSatisfy { $0.hasSuffix("pad=\(line)") }, "lines written whole")
    }

    @Test func flushWritesEveryQueuedLineInOrder() throws {
        let pipe = Pipe()
        let output = LogOutput(descriptor: pipe.fileHandleForWriting.fileDescriptor)
        let reader = PipeReader(pipe)
        for index in 0..<1_000 { output.write("line \(index)") }
        output.flush()
        try pipe.fileHandleForWriting.close()
        let text = try #require(reader.text(within: .seconds(20)))
        #expect(text == (0..<1_000).map { "line \($0)\n" }.joined())
    }

    @Test func aBurstOfLinesWakesTheWritingThreadAFewTimesNotOncePerLine() throws {
        let pipe = Pipe()
        let writer = LogLineWriter(descriptor: pipe.fileHandleForWriting.fileDescriptor)
        let reader = PipeReader(pipe)
        // 2,000 lines in a burst, as request handlers log them under load.
        for index in 0..<2_000 { writer.append("line \(index)") { "\($0) dropped" } }
        writer.flush()
        try pipe.fileHandleForWriting.close()
        let text = try #require(reader.text(within: .seconds(20)))
        #expect(text == (0..<2_000).map { "line \($0)\n" }.joined(), "every line written, in order")
        // A signal per line (2,000) was a futex wake and a context switch per request.
        #expect(writer.wakeupSignals < 100, "\(writer.wakeupSignals) wake-ups for 2,000 lines")
    }
}

/// Reads a pipe to its end on a thread of its own (never on the cooperative pool).
private final class PipeReader: Sendable {
    private let data = Mutex<Data?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        Thread.detachNewThread { [self] in
            let read = pipe.fileHandleForReading.readDataToEndOfFile()
            data.withLock { $0 = read }
            done.signal()
        }
    }

    /// Everything read, once the writing end is closed; nil when that takes longer than `limit`.
    func text(within limit: Duration) -> String? {
        guard done.wait(timeout: .now() + .milliseconds(Int(limit.components.seconds * 1000))) == .success else { return nil }
        return data.withLock { $0.map { String(decoding: $0, as: UTF8.self) } }
    }
}
