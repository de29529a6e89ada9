// logbook-stress: appends to a log as fast as it can from many tasks and prints one
// line per acknowledged append, flushed at once. The crash test kills it with
// SIGKILL at random moments and checks that every acknowledged append survived.
//
//     logbook-stress DIR [TASKS]
//
// Output lines: `ack FIRST_POSITION COUNT STREAM LAST_VERSION`.
//
//     logbook-stress generate DIR COUNT
//
// appends realistic sample events in batches of 1,000 until the log in DIR (a log
// directory, such as DATA_DIR/log) holds COUNT (for audit-tool measurements and trying
// `logbook` on a large log).
import EventFixtures
import EventSourcing
import Foundation
import LMDBEventLog
import Synchronization

let arguments = CommandLine.arguments

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("logbook-stress: \(message)\n".utf8))
    exit(status)
}

let usage = "usage: logbook-stress DIR [TASKS] | logbook-stress generate DIR COUNT"
guard arguments.count >= 2, arguments.count <= 4 else { fail(usage, status: 64) }
if arguments[1] == "generate" {
    guard arguments.count == 4, let count = Int(arguments[3]), count >= 0 else { fail(usage, status: 64) }
    do {
        var options = LMDBEventLogOptions()
        options.dictionaryTrainingThreshold = 0
        let log = try LMDBEventLog(directory: arguments[2], options: options)
        var samples = SampleEvents(seed: 99)
        var written = Int(try await log.head().size)
        while written < count {
            let batch = min(1000, count - written)
            _ = try await log.append(samples.request(batch))
            written += batch
            if written == 10_000 { try await log.trainDictionary() }
            if written % 1_000_000 == 0 { FileHandle.standardError.write(Data("\(written) events\n".utf8)) }
        }
        log.close()
        print("\(arguments[2]) holds \(written) events")
        exit(0)
    } catch {
        fail("generating into \(arguments[2]) failed: \(error)", status: 1)
    }
}

guard arguments.count <= 3 else { fail(usage, status: 64) }
let directory = arguments[1]
let tasks: Int
if arguments.count == 3 {
    guard let parsed = Int(arguments[2]), parsed > 0 else { fail(usage, status: 64) }
    tasks = parsed
} else {
    tasks = 16
}

var options = LMDBEventLogOptions()
options.initialMapSize = 1 << 20  // start tiny so the map grows while being killed
options.dictionaryTrainingThreshold = 500
options.dictionarySampleCount = 500
options.streamIndexFlushInterval = 300  // fold the stream index often, in small chunks, so kills land mid-fold
options.streamIndexFoldChunk = 16
let log: LMDBEventLog
do {
    log = try LMDBEventLog(directory: directory, options: options)
} catch {
    fail("cannot open \(directory): \(error)", status: 1)
}
let output = Mutex(())

func report(_ line: String) {
    output.withLock { _ in
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

// The crash test is this process's parent; when a test run is itself killed, the tool
// must not outlive it and burn CPU forever, so it exits once it has been re-parented.
let parent = getppid()
Thread.detachNewThread {
    while getppid() == parent { Thread.sleep(forTimeInterval: 0.5) }
    exit(0)
}

await withTaskGroup(of: Void.self) { group in
    for task in 0..<tasks {
        group.addTask {
            var generator = SystemRandomNumberGenerator()
            var round = 0
            while true {
                round += 1
                let stream = StreamID("stress-\(task)-\(round % 37)") ?? "stress-invalid"
                let count = Int.random(in: 1...4, using: &generator)
                let events = (0..<count).map { index in
                    NewEvent(
                        type: "stress.appended.v1",
                        payload: Array("{\"task\":\(task),\"round\":\(round),\"index\":\(index),\"pad\":\"\(String(repeating: "x", count: Int.random(in: 20...200, using: &generator)))\"}".utf8),
                        timestamp: Timestamp(millisecondsSince1970: 1_790_000_000_000 + Int64(round)))
                }
                do {
                    let outcome = try await log.append(AppendRequest(stream: stream, expected: .any, events: events))
                    if let first = outcome.events.first, let last = outcome.events.last {
                        report("ack \(first.position) \(outcome.events.count) \(stream) \(last.version)")
                    }
                } catch {
                    report("error \(error)")
                }
            }
        }
    }
}
