import Foundation
import Testing

/// A member's deletion with the real binary and its key file: after a restart the member
/// stays gone, its key slot is zeros on disk, and nothing personal is readable.
@Suite(.serialized) struct MemberErasureProcessTests {
    @Test(.timeLimit(.minutes(2)))
    func deletionSurvivesARestart() async throws {
        let binary = try #require(LogbookdProcessTests.binary, "logbookd must be built next to the tests")
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("logbookd-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let port = Int.random(in: 20_000...60_000)
        let arguments = ["--password-hash-log-n", "10"]

        var server = try LogbookdProcessTests.Server(binary: binary, dataDir: dataDir, port: port, arguments: arguments)
        try await server.waitUntilReady()
        let (status, registered) = try await server.request(
            "POST", "/v1/members", json: #"{"username":"zelda","password":"correct-horse-7","display_name":"Zelda Quux"}"#)
        #expect(status == 201)
        let token = try #require(registered["token"] as? String)
        let id = try #require((registered["member"] as? [String: Any])?["id"] as? String)
        let auth = ["Authorization": "Bearer \(token)"]
        let (added, _) = try await server.request(
            "POST", "/v1/members/me/addresses",
            json: #"{"full_name":"Zelda Quux","zip_code":"1","address":"Hidden Lane 7","phone":"1","type":"none"}"#, headers: auth)
        #expect(added == 201)
        let keyFile = dataDir + "/member-keys"
        #expect((try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int) == 0o600)
        #expect(try Data(contentsOf: URL(fileURLWithPath: keyFile)).contains { $0 != 0 })
        server.stop()

        // Still there after a restart; then deleted.
        server = try LogbookdProcessTests.Server(binary: binary, dataDir: dataDir, port: port, arguments: arguments)
        try await server.waitUntilReady()
        let (meStatus, me) = try await server.request("GET", "/v1/members/me", headers: auth)
        #expect(meStatus == 200 && me["display_name"] as? String == "Zelda Quux")
        let (deleted, _) = try await server.request("DELETE", "/v1/members/me", json: #"{"password":"correct-horse-7"}"#, headers: auth)
        #expect(deleted == 204)
        let (_, headBefore) = try await server.request("GET", "/v1/log/head")
        server.stop()

        let keys = try Data(contentsOf: URL(fileURLWithPath: keyFile))
        #expect(!keys.isEmpty && keys.allSatisfy { $0 == 0 })

        server = try LogbookdProcessTests.Server(binary: binary, dataDir: dataDir, port: port, arguments: arguments)
        defer { server.stop() }
        try await server.waitUntilReady()
        let (_, headAfter) = try await server.request("GET", "/v1/log/head")
        #expect((headAfter["size"] as? Int ?? 0) > 0)
        #expect(headAfter["size"] as? Int == headBefore["size"] as? Int && headAfter["root"] as? String == headBefore["root"] as? String)
        #expect(try await server.request("GET", "/v1/members/\(id)").0 == 404)
        #expect(try await server.request("GET", "/v1/members/me", headers: auth).0 == 401)
        let (_, search) = try await server.request("GET", "/v1/members?q=zelda")
        #expect(search["total_rows"] as? Int == 0)
        let (_, name) = try await server.request("GET", "/v1/members/display-names/Zelda%20Quux")
        #expect(name["available"] as? Bool == true)
        let (login, _) = try await server.request("POST", "/v1/sessions", json: #"{"username":"zelda","password":"correct-horse-7"}"#)
        #expect(login == 401)
    }
}
