import Audit
import HTTPAPI
import EventSourcing
import Foundation
import LMDBEventLog
import Synchronization
import Testing
import Verification

/// A data directory with real domain events: codes sent, checked (right and wrong),
/// destroyed, and captchas drawn and checked.
struct GeneratedLog {
    let directory: String
    let codes: [String]
    let lastTime: Timestamp

    static func make(sends: Int = 150) async throws -> GeneratedLog {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)").path
        let storage = try LMDBEventLog(directory: directory)
        let time = Mutex(Timestamp(millisecondsSince1970: 1_795_000_000_000))
        let clock: @Sendable () -> Timestamp = { time.withLock { $0 = $0.adding(seconds: 1); return $0 } }
        let secrets = CodeSecrets(secret: Array(repeating: 3, count: 32))
        let codes = LiveProjection<VerificationsReadModel>()
        let captchaModel = LiveProjection<CaptchasReadModel>()
        let runtime = ProjectionRuntime(log: storage, projections: [codes, captchaModel])
        try await runtime.start()
        let log = AppliedLog(storage, runtime: runtime)
        let service = VerificationService(log: log, codes: codes, secrets: secrets, limits: .init(), clock: clock)
        let captchas = CaptchaService(log: log, captchas: captchaModel, secrets: secrets, clock: clock)
        var plainCodes: [String] = []
        for i in 0..<sends {
            guard case .done(let sent) = try await service.send(
                channel: "sms", to: "+861370000\(String(1000 + i))", operation: "login", ttlSeconds: nil)
            else { continue }
            let sealed = try #require(codes.read { model, _ in model.code(sent.key)?.issued.sealedDelivery })
            let code = try DeliveryMessage(sealed: sealed, secrets: secrets).code
            plainCodes.append(code)
            switch i % 4 {
            case 0: _ = try await service.check(key: sent.key, code: code)
            case 1: _ = try await service.check(key: sent.key, code: code == "000000" ? "111111" : "000000")
            case 2: _ = try await service.destroy(key: sent.key)
            default: break
            }
            if i % 10 == 0 {
                if case .done(let drawn) = try await captchas.issue() { _ = try await captchas.check(id: try #require(EntityID(drawn.id)), answer: "NOPE") }
            }
        }
        storage.close()
        return GeneratedLog(directory: directory, codes: plainCodes, lastTime: time.withLock { $0 })
    }

    func open(readOnly: Bool = true) throws -> LMDBEventLog {
        var options = LMDBEventLogOptions()
        options.readOnly = readOnly
        options.dictionaryTrainingThreshold = 0
        return try LMDBEventLog(directory: directory, options: options)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

@Suite(.serialized) struct AuditTests {
    @Test func dumpsAreJSONLinesWithDecodedPayloadsAndNoSecrets() async throws {
        let generated = try await GeneratedLog.make()
        defer { generated.remove() }
        let log = try generated.open()
        defer { log.close() }
        let events = try await log.read(from: 1, limit: .max)
        var text = ""
        for event in events {
            let line = try await testRegistry().line(event)
            text += line + "\n"
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["position"] as? Int == Int(event.position))
            #expect(object["type"] as? String == event.type)
            #expect(object["time"] as? String == event.timestamp.rfc3339)
            #expect((object["payload"] as? [String: Any])?["base64"] == nil, "\(event.type) is decoded")
        }
        for code in generated.codes { #expect(!text.contains("\"\(code)\"")) }
        #expect(!text.contains("13700001"))
    }

    @Test func replaysAreDeterministicAndStopAtAPositionOrATime() async throws {
        let generated = try await GeneratedLog.make()
        defer { generated.remove() }
        let log = try generated.open()
        defer { log.close() }
        let size = try await log.head().size
        let first = try await Replay.run(log: log, until: .everything)
        let second = try await Replay.run(log: log, until: .everything)
        #expect(first.models.summary.map(\.digest) == second.models.summary.map(\.digest))
        #expect(first.position == size)
        #expect(first.models.statistics.read { model, _ in model.totalEvents } == size)

        let half = try await Replay.run(log: log, until: .position(size / 2))
        #expect(half.position == size / 2)
        let byTime = try await Replay.run(log: log, until: .time(try #require(half.time)))
        #expect(byTime.position >= size / 2)
        #expect(byTime.models.statistics.read { model, _ in model.lastEventTime } == half.time)
        // Incremental application up to a point equals a replay to that point.
        let incremental = LiveProjection<VerificationsReadModel>()
        try incremental.restore(from: nil)
        try incremental.catchUp(with: try await log.read(from: 1, limit: Int(size / 2)))
        #expect(incremental.digest == half.models.verifications.digest)
    }

    @Test func statsAddUp() async throws {
        let generated = try await GeneratedLog.make()
        defer { generated.remove() }
        let log = try generated.open()
        defer { log.close() }
        let report = try await StatsReport.make(log: log)
        #expect(report.eventsByType.values.reduce(0, +) == report.head.size)
        #expect(report.eventsByCategory.values.reduce(0, +) == report.head.size)
        #expect(report.byDictionary.values.map(\.records).reduce(0, +) == Int(report.head.size))
        #expect(report.eventsByType["verification.code-issued.v1"] == 150)
        #expect(report.streamsByCategory["verification"] == 150)
        #expect(report.text.contains("verification.code-checked.v1"))
    }

    @Test func aBackupIsAVerifiedCopyWithTheSameRoot() async throws {
        let generated = try await GeneratedLog.make()
        defer { generated.remove() }
        let destination = generated.directory + "-backup"
        defer { try? FileManager.default.removeItem(atPath: destination) }
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        let log = try generated.open()
        try log.backup(to: destination)
        let root = try await log.head().root
        log.close()
        var options = LMDBEventLogOptions()
        options.readOnly = true
        let copy = try LMDBEventLog(directory: destination, options: options)
        defer { copy.close() }
        let report = try copy.verify()
        #expect(report.isValid)
        #expect(report.recomputedRoot == root)
    }

    @Test func verifyFindsAFlippedByteInTheFile() async throws {
        let generated = try await GeneratedLog.make()
        defer { generated.remove() }
        let target: LogPosition = 77
        let file = generated.directory + "/data.mdb"
        let log = try generated.open()
        let record = try #require(try await log.rawRecord(at: target))
        log.close()
        var bytes = try #require(FileManager.default.contents(atPath: file))
        let offset = try #require(bytes.firstRange(of: Data(record))?.lowerBound)
        bytes[offset + record.count - 3] ^= 0x40  // inside the zstd frame
        try bytes.write(to: URL(fileURLWithPath: file))
        let damaged = try generated.open()
        defer { damaged.close() }
        let report = try damaged.verify()
        #expect(!report.isValid)
        let failure = try #require(report.firstFailure)
        // Exactly the record when it no longer decodes; its 16-record group when it still does.
        #expect(failure.position == target || (failure.position - 1) / 16 == (target - 1) / 16, "\(failure)")
    }

    @Test func timesParseBackToTheSameInstant() {
        for ms: Int64 in [0, 1_795_000_000_123, 951_782_400_000, 4_102_444_800_999] {
            let time = Timestamp(millisecondsSince1970: ms)
            #expect(RFC3339.parse(time.rfc3339) == time)
        }
        #expect(RFC3339.parse("2026-11-22T11:17:22Z")?.millisecondsSince1970 == 1_795_346_242_000)
        #expect(RFC3339.parse("2026-11-22 11:17:22Z") == nil)
        #expect(RFC3339.parse("2026-13-22T11:17:22Z") == nil)
    }

    @Test func progressIsABarOnATerminalAndLinesElsewhere() {
        let lines = Mutex<[String]>([])
        let plain = Progress(label: "verify", total: 100, interactive: false) { line in lines.withLock { $0.append(line) } }
        plain.update(10)
        plain.finish(100)
        #expect(lines.withLock { $0 }.allSatisfy { $0.hasSuffix("\n") && $0.contains("verify") && $0.contains("/s") })
        let bar = Progress(label: "replay", total: 100, interactive: true) { line in lines.withLock { $0.append(line) } }
        bar.update(50)
        #expect(lines.withLock { $0.last }?.contains("[###############---------------] 50%") == true)
        #expect(lines.withLock { $0.last }?.hasSuffix("\r") == true)
    }
}

@Suite struct CheckpointTests {
    @Test func aLogThatOnlyGrewExtendsItsSignedCheckpoints() async throws {
        let log = InMemoryEventLog()
        for i in 0..<20 {
            _ = try await log.append(AppendRequest(stream: StreamID("s-\(i % 3)")!, expected: .any, events: [
                NewEvent(type: "t.v1", payload: [UInt8(i)], timestamp: Timestamp(millisecondsSince1970: Int64(i)))]))
        }
        let key = SignedCheckpoint.newPrivateKey()
        let signed = try SignedCheckpoint(head: try await log.head(), privateKey: key)
        #expect(signed.hasValidSignature)
        for i in 0..<13 {
            _ = try await log.append(AppendRequest(stream: "later-1", expected: .any, events: [
                NewEvent(type: "t.v1", payload: [UInt8(i)], timestamp: Timestamp(millisecondsSince1970: 100))]))
        }
        #expect(try await CheckpointCheck.check(signed, log: log, pinnedKey: signed.publicKey) == 13)

        var forgedRoot = signed
        forgedRoot.head.root = .leaf([1])
        await #expect(throws: CheckpointCheck.Failure.self) { try await CheckpointCheck.check(forgedRoot, log: log) }
        let otherKey = try SignedCheckpoint(head: signed.head, privateKey: SignedCheckpoint.newPrivateKey())
        await #expect(throws: CheckpointCheck.Failure.self) {
            try await CheckpointCheck.check(otherKey, log: log, pinnedKey: signed.publicKey)
        }
        // A different history with the same size does not extend the checkpoint.
        let rewritten = InMemoryEventLog()
        for i in 0..<40 {
            _ = try await rewritten.append(AppendRequest(stream: "x-1", expected: .any, events: [
                NewEvent(type: "t.v1", payload: [UInt8(i), 1], timestamp: Timestamp(millisecondsSince1970: 0))]))
        }
        await #expect(throws: CheckpointCheck.Failure.self) { try await CheckpointCheck.check(signed, log: rewritten) }
        // The JSON round trip.
        let json = """
            {"size":\(signed.head.size),"root":"\(signed.head.root.hex)","timestamp":"\(signed.head.timestamp!.rfc3339)",\
            "public_key":"\(Data(signed.publicKey).base64EncodedString())","signature":"\(Data(signed.signature).base64EncodedString())"}
            """
        #expect(try CheckpointCheck.parse(Data(json.utf8)) == signed)
    }
}

/// The `logbook` binary's subcommands on a generated log.
@Suite(.serialized) struct LogbookCommandTests {
    static var binary: URL? {
        [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("logbook") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        let binary: URL = try #require(Self.binary, "logbook must be built next to the tests")
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func everySubcommandWorksOnAGeneratedLog() async throws {
        let generated = try await GeneratedLog.make(sends: 60)
        defer { generated.remove() }
        let dir = generated.directory

        let verify = try run(["verify", dir])
        #expect(verify.status == 0 && verify.output.hasPrefix("ok: "))

        let dump = try run(["dump", dir, "--from", "5", "--to", "9"])
        let lines = dump.output.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
        let issued = try run(["dump", dir, "--type", "verification.code-issued.v1", "--format", "table"])
        #expect(issued.output.split(separator: "\n").count == 60)

        let first = try run(["replay", dir])
        let second = try run(["replay", dir])
        #expect(first.status == 0 && first.output == second.output && first.output.contains("digest"))
        let partial = try run(["replay", dir, "--until", "10"])
        #expect(partial.output.hasPrefix("replayed to position 10"))

        let stats = try run(["stats", dir])
        #expect(stats.output.contains("verification.code-issued.v1 60"))

        let inclusion = try run(["proof", "inclusion", dir, "--index", "17"])
        #expect(inclusion.status == 0 && inclusion.output.contains("\"verified\":true"))
        let consistency = try run(["proof", "consistency", dir, "--from", "20"])
        #expect(consistency.status == 0 && consistency.output.contains("\"verified\":true"))

        let copy = dir + "-copy"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let backup = try run(["backup", dir, copy])
        #expect(backup.status == 0 && backup.output.contains("verified"))
        let copied = try run(["verify", copy])
        func root(_ text: String) -> Substring? { text.split(separator: " ").drop { $0 != "root" }.dropFirst().first }
        #expect(copied.status == 0 && root(copied.output) != nil && root(copied.output) == root(verify.output))

        let train = try run(["dict", "train", dir])
        #expect(train.status == 0 && train.output.contains("trained dictionary 1"))
        #expect(try run(["verify", dir]).status == 0)
        #expect(try run(["verify", dir + "-missing"]).status != 0)
    }
}
