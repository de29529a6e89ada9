import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `logbook backup` of a live `logbookd` under load, `logbook restore` into a new directory,
/// and a second `logbookd` on the restored directory that knows every member, accepts every
/// token and serves every upload.
@Suite(.serialized) struct BackupRestoreProcessTests {
    struct Member {
        let id: String
        let username: String
        let token: String
        let upload: (sha256: String, bytes: Data)
    }

    /// Runs the `logbook` tool; returns its status and output (stdout and stderr).
    static func logbook(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let binary = try #require(LogbookdProcessTests.binary).deletingLastPathComponent().appendingPathComponent("logbook")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    static func upload(_ bytes: Data, token: String, port: Int) async throws -> String {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/uploads")!)
        request.httpMethod = "POST"
        request.httpBody = bytes
        request.setValue("image/png", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 201)
        return try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["sha256"] as? String)
    }

    /// A JSON POST to the server on `port`; the status and the decoded object.
    static func post(port: Int, _ path: String, json: String) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.httpBody = Data(json.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
    }

    static func register(port: Int, _ username: String) async throws -> (id: String, token: String) {
        let (status, registered) = try await post(
            port: port, "/v1/members", json: #"{"username":"\#(username)","password":"correct-horse-7","display_name":"\#(username)"}"#)
        #expect(status == 201, "\(registered)")
        let id = try #require((registered["member"] as? [String: Any])?["id"] as? String)
        return (id, try #require(registered["token"] as? String))
    }

    @Test(.timeLimit(.minutes(3)))
    func aBackupOfALiveServerRestoresEveryMemberTokenAndUpload() async throws {
        let binary = try #require(LogbookdProcessTests.binary, "logbookd must be built next to the tests")
        let base = DataDirectoryProcessTests.newDirectory()
        let (dataDir, backupDir, restoredDir) = (base + "-data", base + "-backup", base + "-restored")
        defer { for path in [dataDir, backupDir, restoredDir] { try? FileManager.default.removeItem(atPath: path) } }
        let arguments = ["--password-hash-log-n", "10"]
        let port = Int.random(in: 20_000...40_000)
        let server = try LogbookdProcessTests.Server(binary: binary, dataDir: dataDir, port: port, arguments: arguments)
        try await server.waitUntilReady()

        var members: [Member] = []
        for index in 0..<6 {
            let (id, token) = try await Self.register(port: port, "backup\(index)")
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("member \(index)".utf8))
            let sha = try await Self.upload(png, token: token, port: port)
            members.append(Member(id: id, username: "backup\(index)", token: token, upload: (sha, png)))
        }

        // Load while the backup runs: codes sent, members registered, uploads stored. Stopped
        // by a flag, never by cancelling the task: cancelling a task inside URLSession's
        // `data(for:)` can deadlock FoundationNetworking on Linux (the canceller holds the
        // task's status lock while it waits for the session's queue, whose thread waits for
        // that lock to resume the request; seen here, the test process hung for 20 minutes).
        let stop = Mutex(false)
        let load = Task {
            var round = 0
            while !stop.withLock({ $0 }) {
                round += 1
                _ = try? await Self.post(
                    port: port, "/v1/verifications", json: #"{"channel":"sms","to":"1371\#(String(1_000_000 + round))","operation":"login"}"#)
                if round % 5 == 0, let (_, token) = try? await Self.register(port: port, "load\(round)") {
                    _ = try? await Self.upload(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, UInt8(round % 256)]), token: token, port: port)
                }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let backup = try Self.logbook(["backup", dataDir, backupDir])
        stop.withLock { $0 = true }
        _ = await load.result
        server.stop()
        #expect(backup.status == 0, "\(backup.output)")
        #expect(backup.output.contains("verified") && backup.output.contains("each with a key"), "\(backup.output)")

        let restore = try Self.logbook(["restore", backupDir, restoredDir])
        #expect(restore.status == 0, "\(restore.output)")
        #expect(try DataDirectoryProcessTests.mode(restoredDir) == 0o700)
        for file in ["secret", "signing-key", "member-keys", "log/data.mdb"] {
            #expect(try DataDirectoryProcessTests.mode(restoredDir + "/" + file) == 0o600, "\(file)")
        }
        let again = try Self.logbook(["restore", backupDir, restoredDir])
        #expect(again.status != 0 && again.output.contains("is not empty"), "\(again.output)")

        let restored = try LogbookdProcessTests.Server(
            binary: binary, dataDir: restoredDir, port: Int.random(in: 40_001...60_000), arguments: arguments)
        defer { restored.stop() }
        try await restored.waitUntilReady()
        for member in members {
            #expect(try await restored.request("GET", "/v1/members/\(member.id)").0 == 200)
            let (status, me) = try await restored.request("GET", "/v1/members/me", headers: ["Authorization": "Bearer \(member.token)"])
            #expect(status == 200 && me["username"] as? String == member.username && me["display_name"] as? String == member.username)
            let url = URL(string: "http://127.0.0.1:\(restored.port)/v1/uploads/\(member.upload.sha256)")!
            let (served, _) = try await URLSession.shared.data(from: url)
            #expect(served == member.upload.bytes)
        }
    }
}
