import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The real `logbookd` binary on a loopback port: set-up from an empty data directory,
/// a full code round trip, and a restart that keeps data and idempotency keys.
@Suite(.serialized) struct LogbookdProcessTests {
    static let adminToken = "process-test-admin-token"

    /// `logbookd`, built next to the test bundle (whose URL is the build folder or a file in it).
    static var binary: URL? {
        [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("logbookd") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    final class Server {
        let process = Process()
        let port: Int

        init(binary: URL, dataDir: String, port: Int, arguments: [String] = []) throws {
            self.port = port
            process.executableURL = binary
            process.arguments = ["--dev", "--data-dir", dataDir, "--port", String(port)] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["LOGBOOK_ADMIN_TOKEN": LogbookdProcessTests.adminToken]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        func waitUntilReady() async throws {
            for _ in 0..<200 {
                if let (status, _) = try? await request("GET", "/healthz"), status == 200 { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw CocoaError(.fileReadUnknown)
        }

        func stop() {
            process.terminate()  // SIGTERM: graceful shutdown
            process.waitUntilExit()
        }

        func request(_ method: String, _ path: String, json: String? = nil, headers: [String: String] = [:]) async throws
            -> (Int, [String: Any])
        {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = method
            if let json {
                request.httpBody = Data(json.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let (data, response) = try await URLSession.shared.data(for: request)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aCodeRoundTripSurvivesARestart() async throws {
        let binary = try #require(Self.binary, "logbookd must be built next to the tests (swift build --build-tests)")
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("logbookd-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let port = Int.random(in: 20_000...60_000)

        var server = try Server(binary: binary, dataDir: dataDir, port: port)
        try await server.waitUntilReady()
        let body = #"{"channel":"sms","to":"13712345678","operation":"login"}"#
        let (status, sent) = try await server.request("POST", "/v1/verifications", json: body, headers: ["Idempotency-Key": "k-1"])
        #expect(status == 201)
        let key = try #require(sent["key"] as? String)
        var code: String?
        for _ in 0..<100 where code == nil {
            let (_, outbox) = try await server.request("GET", "/v1/dev/outbox?to=%2B8613712345678")
            code = ((outbox["items"] as? [[String: Any]])?.first?["code"] as? String)
            if code == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let delivered = try #require(code)
        let attributes = try FileManager.default.attributesOfItem(atPath: dataDir + "/secret")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // The signed head the server writes at start: private like every file it writes.
        var signedHead: [FileAttributeKey: Any]?
        for _ in 0..<100 where signedHead == nil {
            signedHead = try? FileManager.default.attributesOfItem(atPath: dataDir + "/checkpoint.json")
            if signedHead == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect((signedHead?[.posixPermissions] as? Int) == 0o600, "checkpoint.json: \(String(describing: signedHead?[.posixPermissions]))")
        let (_, headBefore) = try await server.request("GET", "/v1/log/head")
        let checkpointURL = URL(string: "http://127.0.0.1:\(port)/v1/log/checkpoint")!
        let (checkpoint, _) = try await URLSession.shared.data(from: checkpointURL)
        let checkpointFile = dataDir + "-checkpoint.json"
        try checkpoint.write(to: URL(fileURLWithPath: checkpointFile))
        defer { try? FileManager.default.removeItem(atPath: checkpointFile) }
        server.stop()
        #expect(server.process.terminationStatus == 0)

        server = try Server(binary: binary, dataDir: dataDir, port: port)
        defer { server.stop() }
        try await server.waitUntilReady()
        let (_, headAfter) = try await server.request("GET", "/v1/log/head")
        #expect(headAfter["root"] as? String == headBefore["root"] as? String)
        let (retryStatus, retried) = try await server.request("POST", "/v1/verifications", json: body, headers: ["Idempotency-Key": "k-1"])
        #expect(retryStatus == 201 && retried["key"] as? String == key)
        let (_, pending) = try await server.request("GET", "/v1/verifications/\(key)")
        #expect(pending["status"] as? String == "pending")
        let (checkStatus, checked) = try await server.request("POST", "/v1/verifications/\(key)/check", json: #"{"code":"\#(delivered)"}"#)
        #expect(checkStatus == 200 && checked["status"] as? String == "approved")

        // A member's upload lands in the data directory, durably, and is served back.
        let (_, member) = try await server.request(
            "POST", "/v1/members", json: #"{"username":"uploader","password":"correct-horse-7","display_name":"Up Loader"}"#)
        let token = try #require(member["token"] as? String)
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]
        var upload = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/uploads")!)
        upload.httpMethod = "POST"
        upload.httpBody = Data(png)
        upload.setValue("image/png", forHTTPHeaderField: "Content-Type")
        upload.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (uploaded, _) = try await URLSession.shared.data(for: upload)
        let sha = try #require((try JSONSerialization.jsonObject(with: uploaded) as? [String: Any])?["sha256"] as? String)
        #expect(FileManager.default.contents(atPath: dataDir + "/uploads/\(sha.prefix(2))/\(sha)") == Data(png))
        let (served, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/v1/uploads/\(sha)")!)
        #expect(served == Data(png))

        // The admin event stream: catches up, then follows (read for two seconds with curl).
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sN", "--max-time", "2", "-H", "Authorization: Bearer \(Self.adminToken)",
                          "http://127.0.0.1:\(port)/v1/admin/events/stream?after=0"]
        let stream = Pipe()
        curl.standardOutput = stream
        try curl.run()
        let streamed = String(decoding: stream.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        curl.waitUntilExit()
        let (_, headNow) = try await server.request("GET", "/v1/log/head")
        let ids = streamed.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { Int($0.dropFirst(4)) }
        #expect(ids == Array(1...(headNow["size"] as? Int ?? 0)), "stream: \(streamed.prefix(300))")

        // The audit tool, next to the running server: the log verifies and extends the checkpoint.
        let audit = Process()
        audit.executableURL = binary.deletingLastPathComponent().appendingPathComponent("logbook")
        audit.arguments = ["verify", dataDir, "--checkpoint", checkpointFile]
        let output = Pipe()
        audit.standardOutput = output
        audit.standardError = FileHandle.nullDevice
        try audit.run()
        audit.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(audit.terminationStatus == 0, "logbook verify: \(text)")
        #expect(text.contains("signature ok, the log extends it by"))
    }
}
