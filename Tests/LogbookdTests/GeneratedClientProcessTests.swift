import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The OpenAPI document is good enough to generate a working client from: the real
/// `logbookd` serves `/openapi.json`, `openapi-spec-validator` accepts it,
/// `openapi-python-client` generates a client from it, and `tools/openapi/client_flows.py`
/// drives one flow per domain through the generated functions and models (their parsers
/// fail on a response without a required field, and on an undocumented status).
/// `tools/setup` installs both tools; without them the test says so and skips.
@Suite(.serialized) struct GeneratedClientProcessTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    /// The executable named `name` in the tools' virtual environment (`tools/setup` makes it,
    /// `LOGBOOK_TOOLS`, default /opt/logbook-tools), else the first on the PATH.
    static func tool(_ name: String) -> URL? {
        let environment = ProcessInfo.processInfo.environment
        let venv = (environment["LOGBOOK_TOOLS"] ?? "/opt/logbook-tools") + "/fuzz/bin"
        return ([venv] + (environment["PATH"] ?? "").split(separator: ":").map(String.init))
            .map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs a tool to its end; its exit status and everything it printed.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL) async throws -> (Int32, String) {
        let result = try await ChildProcess(executable: executable, arguments: arguments, directory: directory, mergeErrors: true).run()
        return (result.status, result.output)
    }

    static var toolsPresent: Bool {
        tool("openapi-python-client") != nil && tool("openapi-spec-validator") != nil && tool("python3") != nil
    }

    @Test(.timeLimit(.minutes(3)), .enabled(if: toolsPresent, "openapi-python-client or openapi-spec-validator is missing (tools/setup installs them)"))
    func aGeneratedClientDrivesOneFlowPerDomain() async throws {
        let binary = try #require(LogbookdProcessTests.binary)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let server = try LogbookdProcessTests.Server(
            binary: binary, dataDir: work.appendingPathComponent("data").path, port: Int.random(in: 20_000...60_000))
        defer { server.stop() }
        try await server.waitUntilReady()

        let (data, _) = try await URLSession.shared.data(from: try #require(URL(string: "http://127.0.0.1:\(server.port)/openapi.json")))
        let document = work.appendingPathComponent("openapi.json")
        try data.write(to: document)

        let (valid, validation) = try await Self.run(try #require(Self.tool("openapi-spec-validator")), [document.path], in: work)
        #expect(valid == 0, "openapi-spec-validator: \(validation)")
        // No post hooks: formatting the generated code (ruff) is most of the generator's time.
        let config = work.appendingPathComponent("generator.json")
        try Data(#"{"post_hooks": []}"#.utf8).write(to: config)
        let (generated, generation) = try await Self.run(
            try #require(Self.tool("openapi-python-client")),
            ["generate", "--path", document.path, "--output-path", work.appendingPathComponent("client").path, "--meta", "none",
             "--config", config.path], in: work)
        #expect(generated == 0, "openapi-python-client: \(generation)")
        // A warning means part of the document could not be turned into code.
        #expect(!generation.contains("Warning"), "openapi-python-client warned: \(generation)")

        let flows = Self.root.appendingPathComponent("tools/openapi/client_flows.py")
        let (passed, transcript) = try await Self.run(
            try #require(Self.tool("python3")), [flows.path, "http://127.0.0.1:\(server.port)", work.path], in: work)
        #expect(passed == 0 && transcript.contains("all client flows passed"), "\(transcript)")
    }
}
