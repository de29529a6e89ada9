import Foundation
import Testing

/// The deploy kit in tools/deploy cannot be built or installed on these machines (no
/// container runtime, no systemd, no nginx), so these tests check what can be checked:
/// the files the container recipe copies exist, its port, user and volume agree with the
/// settings it gives logbookd, and logbookd accepts the settings of the recipe and of the
/// systemd unit as written.
@Suite struct DeployKitTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Instructions of a Containerfile, continuation lines joined, comments dropped.
    static func instructions(_ text: String) -> [(String, String)] {
        text.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { line in
                let parts = line.split(separator: " ", maxSplits: 1)
                return (String(parts[0]).uppercased(), parts.count > 1 ? String(parts[1]) : "")
            }
    }

    @Test func theContainerRecipeCopiesFilesThatExistAndRunsAsItsSettingsSay() async throws {
        let steps = Self.instructions(try Self.read("tools/deploy/Containerfile"))
        #expect(steps.filter { $0.0 == "FROM" }.count >= 2, "multi-stage")
        for (_, argument) in steps.filter({ $0.0 == "COPY" && !$0.1.hasPrefix("--from") }) {
            let sources = argument.split(separator: " ").dropLast()
            for source in sources {
                #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(String(source)).path), "COPY \(source)")
            }
        }
        var environment: [String: String] = [:]
        for (_, argument) in steps.filter({ $0.0 == "ENV" }) {
            for pair in argument.split(separator: " ") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { environment[String(kv[0])] = String(kv[1]) }
            }
        }
        let user = try #require(steps.last { $0.0 == "USER" }?.1)
        #expect(!user.hasPrefix("root") && !user.hasPrefix("0"), "not root: \(user)")
        #expect(steps.contains { $0.0 == "EXPOSE" && $0.1 == environment["LOGBOOK_PORT"] })
        #expect(steps.contains { $0.0 == "VOLUME" && $0.1.contains("\"\(environment["LOGBOOK_DATA_DIR"] ?? "?")\"") })
        #expect(environment["LOGBOOK_HOST"] == "0.0.0.0", "reachable from outside the container")

        let (status, report, errors) = try await OperatingProcessTests.run("logbookd", ["--print-config"], environment: environment)
        #expect(status == 0, "\(errors)")
        #expect(OperatingProcessTests.line(report, "data-dir")?.contains("= /var/lib/logbook  # environment") == true, "\(report)")
        #expect(OperatingProcessTests.line(report, "log-format")?.contains("= json") == true)
    }

    @Test func theSystemdUnitsCommandLineAndEnvironmentFileAreAccepted() async throws {
        let unit = try Self.read("tools/deploy/logbookd.service")
        for setting in ["NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "CapabilityBoundingSet=", "KillSignal=SIGTERM",
                        "StateDirectory=logbook", "LoadCredential=admin-token:"] {
            #expect(unit.contains("\n" + setting), "\(setting)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "a-credential-token-of-32-chars!!\n".write(to: directory.appendingPathComponent("admin-token"), atomically: true, encoding: .utf8)
        let execStart = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        let arguments = execStart.dropFirst("ExecStart=".count).split(separator: " ").dropFirst().map {
            $0.replacingOccurrences(of: "${STATE_DIRECTORY}", with: directory.path + "/state")
                .replacingOccurrences(of: "${CREDENTIALS_DIRECTORY}", with: directory.path)
        }
        #expect(!arguments.contains { $0.contains("token") && !$0.contains("file") && !$0.hasPrefix("/") }, "no secret on the command line")
        var environment: [String: String] = [:]
        for line in try Self.read("tools/deploy/logbookd.env").split(separator: "\n") where !line.hasPrefix("#") {
            let kv = line.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { environment[String(kv[0])] = String(kv[1]) }
        }
        let (status, report, errors) = try await OperatingProcessTests.run("logbookd", arguments + ["--print-config"], environment: environment)
        #expect(status == 0, "\(errors)")
        #expect(OperatingProcessTests.line(report, "admin-token")?.contains("********") == true)
        #expect(OperatingProcessTests.line(report, "trust-forwarded-for")?.contains("= true  # environment") == true)
    }

    @Test func theNginxExamplePassesWebSocketsAndEventStreamsThrough() throws {
        let conf = try Self.read("tools/deploy/nginx-logbook.conf")
        let stream = try #require(conf.range(of: "location = /v1/stream {")).upperBound
        let streamBlock = conf[stream...].prefix { $0 != "}" }
        #expect(streamBlock.contains("proxy_set_header Upgrade $http_upgrade;"))
        #expect(streamBlock.contains("proxy_set_header Connection $connection_upgrade;"))
        let events = try #require(conf.range(of: "location = /v1/admin/events/stream {")).upperBound
        #expect(conf[events...].prefix { $0 != "}" }.contains("proxy_buffering off;"))
        // logbookd takes the first X-Forwarded-For address: the proxy must replace the header.
        #expect(conf.contains("proxy_set_header X-Forwarded-For $remote_addr;"))
        #expect(!conf.contains("$proxy_add_x_forwarded_for"))
        #expect(conf.contains("client_max_body_size 1m;"))
    }
}
