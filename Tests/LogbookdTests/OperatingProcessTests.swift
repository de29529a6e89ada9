import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// What an operator meets first: `--version`, configuration from flags, `LOGBOOK_*`
/// variables and a JSON file (`--print-config`, secrets masked, bad values refused with
/// their source), and JSON log lines that carry the request id.
@Suite(.serialized) struct OperatingProcessTests {
    static func binary(_ name: String) throws -> URL {
        let url = try #require(LogbookdProcessTests.binary).deletingLastPathComponent().appendingPathComponent(name)
        try #require(FileManager.default.isExecutableFile(atPath: url.path), "\(name) must be built next to the tests")
        return url
    }

    /// Runs `name` to its end: exit status, standard output, standard error. `LOGBOOK_*`
    /// variables of the test's own environment are not passed on; `environment` is.
    static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> (Int32, String, String) {
        var inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LOGBOOK_") }
        inherited.merge(environment) { $1 }
        let result = try await ChildProcess(executable: try binary(name), arguments: arguments, environment: inherited).run()
        return (result.status, result.output, result.errors)
    }

    /// The `key = value  # source` line of `--print-config`.
    static func line(_ report: String, _ key: String) -> String? {
        report.split(separator: "\n").map(String.init).first { $0.hasPrefix(key + " ") }
    }

    @Test func bothBinariesSayTheirVersion() async throws {
        for name in ["logbookd", "logbook"] {
            let (status, output, _) = try await Self.run(name, ["--version"])
            #expect(status == 0)
            #expect(output.wholeMatch(of: /\d+\.\d+\.\d+ \(log format \d+\)\n/) != nil, "\(name): \(output)")
        }
    }

    @Test func settingsComeFromFlagsThenEnvironmentThenFileThenDefaultsWithSecretsMasked() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("admin-token").path
        try "token-read-from-a-file-42\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("logbookd.json").path
        try #"{"port": 9001, "host": "0.0.0.0", "log-format": "json", "admin-token-file": "\#(tokenFile)", "client-limits": false}"#
            .write(toFile: config, atomically: true, encoding: .utf8)

        let (status, report, _) = try await Self.run(
            "logbookd", ["--config", config, "--port", "9002", "--print-config"], environment: ["LOGBOOK_HOST": "127.0.0.2"])
        #expect(status == 0)
        #expect(Self.line(report, "port")?.contains("= 9002  # command line") == true, "\(report)")
        #expect(Self.line(report, "host")?.contains("= 127.0.0.2  # environment, env LOGBOOK_HOST") == true)
        #expect(Self.line(report, "log-format")?.contains("= json  # config file") == true)
        #expect(Self.line(report, "client-limits")?.contains("= false  # config file") == true)
        #expect(Self.line(report, "data-dir")?.contains("= ./data  # default") == true)
        #expect(Self.line(report, "admin-token")?.contains("= ********") == true)
        #expect(!report.contains("token-read-from-a-file-42"), "the token itself is never printed")

        let fromEnvironment = try await Self.run("logbookd", ["--print-config"], environment: ["LOGBOOK_ADMIN_TOKEN": "token-from-the-environment"])
        #expect(Self.line(fromEnvironment.1, "admin-token")?.contains("= ********  # environment") == true)
        #expect(!fromEnvironment.1.contains("token-from-the-environment"))
    }

    /// The delivery window is a setting (it bounds deliveries to about N / gateway latency):
    /// shown by --print-config, taken from the environment, refused outside 1-1024.
    @Test func theDeliveryWindowIsASettingWithBounds() async throws {
        let (status, report, _) = try await Self.run("logbookd", ["--print-config"], environment: ["LOGBOOK_DELIVERY_CONCURRENCY": "64"])
        #expect(status == 0)
        #expect(Self.line(report, "delivery-concurrency")?.contains("= 64  # environment") == true, "\(report)")
        let defaults = try await Self.run("logbookd", ["--print-config"])
        #expect(Self.line(defaults.1, "delivery-concurrency")?.contains("= 16  # default") == true, "\(defaults.1)")
        for bad in ["0", "1025"] {
            let refused = try await Self.run("logbookd", ["--delivery-concurrency", bad, "--print-config"])
            #expect(refused.0 != 0 && refused.2.contains("--delivery-concurrency must be 1-1024"), "\(bad): \(refused.2)")
        }
    }

    @Test func badValuesAreRefusedNamingTheirSource() async throws {
        let (status, _, errors) = try await Self.run("logbookd", ["--print-config"], environment: ["LOGBOOK_MAX_CONNECTIONS": "many"])
        #expect(status != 0)
        #expect(errors.contains("LOGBOOK_MAX_CONNECTIONS: \"many\" is not a valid value for --max-connections"), "\(errors)")

        let config = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-typo-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: config) }
        try #"{"prot": 8080}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let typo = try await Self.run("logbookd", ["--print-config"], environment: ["LOGBOOK_CONFIG": config])
        #expect(typo.0 != 0 && typo.2.contains("unknown key \"prot\""), "\(typo.2)")

        let onCommandLine = try await Self.run("logbookd", ["--admin-token", "would-show-in-ps-output", "--print-config"])
        #expect(onCommandLine.0 != 0, "the admin token is not taken from the command line")
        let short = try await Self.run("logbookd", ["--print-config"], environment: ["LOGBOOK_ADMIN_TOKEN": "short"])
        #expect(short.0 != 0 && short.2.contains("at least 16 characters"))
    }

    @Test(.timeLimit(.minutes(2)))
    func jsonLogLinesCarryTheRequestIDWithMillisecondTimes() async throws {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-jsonlog-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let port = Int.random(in: 20_000...40_000)
        let process = Process()
        process.executableURL = try Self.binary("logbookd")
        process.arguments = ["--dev", "--data-dir", dataDir, "--port", String(port)]
        process.environment = ProcessInfo.processInfo.environment.merging(["LOGBOOK_LOG_FORMAT": "json"]) { $1 }
        let errors = Pipe()
        (process.standardOutput, process.standardError) = (FileHandle.nullDevice, errors)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)/v1/nothing")))
        request.setValue("ticket-4711", forHTTPHeaderField: "X-Request-Id")
        var answered: HTTPURLResponse?
        for _ in 0..<200 where answered == nil {
            answered = (try? await URLSession.shared.data(for: request))?.1 as? HTTPURLResponse
            if answered == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(answered?.statusCode == 404)
        #expect(answered?.value(forHTTPHeaderField: "X-Request-Id") == "ticket-4711")
        process.terminate()
        process.waitUntilExit()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(!lines.isEmpty && lines.allSatisfy { $0 != nil }, "every line is one JSON object: \(text)")
        let line = try #require(lines.compactMap { $0 }.first { $0["request_id"] as? String == "ticket-4711" })
        #expect(line["route"] as? String == "NotFound" && line["status"] as? String == "404")
        #expect((line["time"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
    }
}
