import CZstd
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// API.md: a deleted member's personal data is unrecoverable, and "a stored answer holding a
/// member's personal data becomes unreadable when that member is deleted". With the real
/// binary, a member fills in every kind of personal data (each command with an
/// `Idempotency-Key`, so answers are stored), deletes the account, and the server stops
/// gracefully (saving checkpoints). Then the raw bytes of every file under the data directory,
/// every zstd frame that can be decompressed anywhere in them, and `logbook dump`'s decoded
/// events are searched for the member's distinctive strings: none may appear. After a restart
/// the member is 404, and so are the replays of the commands whose answers held their data.
@Suite(.serialized) struct ErasureRawBytesProcessTests {
    static let adminToken = "erasure-raw-bytes-admin-token"

    /// What the member typed, as it must never be found again (searched case-insensitively).
    static let secrets = [
        "Zelda Quux", "Quux", "zelda-quux-avatar", "img.example.com/zelda", "7 Hidden Lane Zeldaville", "Zeldaville", "Hidden Lane",
        "Zelda favourite colour", "favourite colour", "ultramarine-answer", "zelda.quux@example.com", "zelda.quux",
    ]

    final class Server {
        let process = Process()
        let port: Int
        let session: URLSession

        init(binary: URL, dataDir: String, port: Int, logFile: String) throws {
            self.port = port
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = 15
            session = URLSession(configuration: configuration)
            process.executableURL = binary
            process.arguments = ["--dev", "--data-dir", dataDir, "--port", String(port), "--password-hash-log-n", "10"]
            process.environment = ProcessInfo.processInfo.environment.merging(["LOGBOOK_ADMIN_TOKEN": ErasureRawBytesProcessTests.adminToken]) { $1 }
            if !FileManager.default.fileExists(atPath: logFile) { _ = FileManager.default.createFile(atPath: logFile, contents: nil) }
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
            log.seekToEndOfFile()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = log
            try process.run()
        }

        func waitUntilReady() async throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                if let reply = try? await request("GET", "/healthz"), reply.0 == 200 { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw CocoaError(.fileReadUnknown)
        }

        /// SIGTERM (graceful: read-model checkpoints are saved) and wait.
        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            process.waitUntilExit()
        }

        func request(_ method: String, _ path: String, json: String? = nil, token: String? = nil, key: String? = nil) async throws
            -> (Int, [String: Any], Data)
        {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = method
            if let json {
                request.httpBody = Data(json.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let key { request.setValue(key, forHTTPHeaderField: "Idempotency-Key") }
            let (data, response) = try await session.data(for: request)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, object, data)
        }
    }

    // MARK: - Searching bytes

    /// ASCII letters folded to lower case (the needles are searched case-insensitively).
    static func folded(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
    }

    /// The needles as folded UTF-8 and as UTF-16LE (in case anything wrote wide strings).
    static let needles: [(String, [UInt8])] = secrets.flatMap { secret -> [(String, [UInt8])] in
        let utf8 = folded(Array(secret.utf8))
        let utf16 = Array(secret.lowercased().utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        return [(secret, utf8), (secret + " (UTF-16)", utf16)]
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var index = 0
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                while index <= last {
                    if hay[index] == first, memcmp(hay.baseAddress! + index, pin.baseAddress!, pin.count) == 0 { return index }
                    index += 1
                }
                return nil
            }
        }
    }

    /// The secrets found in `bytes`, with where.
    static func leaks(in bytes: [UInt8], source: String) -> [String] {
        let hay = folded(bytes)
        return needles.compactMap { name, needle in find(needle, in: hay).map { "\"\(name)\" in \(source) at byte \($0)" } }
    }

    /// Every zstd frame that decompresses at any offset of `bytes`, magicless (how records and
    /// checkpoints are stored) or standard. Frames must declare their content size (the log's
    /// always do); partial output of a frame that fails later is kept too.
    static func decompressEverywhere(_ bytes: [UInt8]) -> [(offset: Int, output: [UInt8])] {
        guard let dctx = ZSTD_createDCtx() else { return [] }
        defer { ZSTD_freeDCtx(dctx) }
        var found: [(Int, [UInt8])] = []
        let maxContent: UInt64 = 16 << 20
        bytes.withUnsafeBytes { raw in
            for magicless in [true, false] {
                let format = magicless ? ZSTD_f_zstd1_magicless : ZSTD_f_zstd1
                ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters)
                ZSTD_DCtx_setParameter(dctx, logbook_zstd_d_format(), Int32(format.rawValue))
                var offset = 0
                while offset < raw.count - 4 {
                    defer { offset += 1 }
                    if !magicless, !(raw[offset] == 0x28 && raw[offset + 1] == 0xB5 && raw[offset + 2] == 0x2F && raw[offset + 3] == 0xFD) {
                        continue
                    }
                    let window = UnsafeRawBufferPointer(rebasing: raw[offset..<min(raw.count, offset + (4 << 20))])
                    var header = ZSTD_frameHeader()
                    guard ZSTD_getFrameHeader_advanced(&header, window.baseAddress, window.count, format) == 0,
                        header.frameType == ZSTD_frame, header.frameContentSize != ZSTD_CONTENTSIZE_UNKNOWN,
                        header.frameContentSize > 0, header.frameContentSize <= maxContent
                    else { continue }
                    ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only)
                    var output = [UInt8](repeating: 0, count: Int(header.frameContentSize))
                    var produced = 0
                    output.withUnsafeMutableBytes { out in
                        var input = ZSTD_inBuffer(src: window.baseAddress, size: window.count, pos: 0)
                        var target = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                        while true {
                            let rc = ZSTD_decompressStream(dctx, &target, &input)
                            if ZSTD_isError(rc) != 0 || rc == 0 || target.pos == target.size { break }
                            if input.pos == input.size { break }
                        }
                        produced = target.pos
                    }
                    if produced >= 8 { found.append((offset, Array(output.prefix(produced)))) }
                }
            }
        }
        return found
    }

    static func files(under directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var out: [String] = []
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = directory + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { out.append(path) }
        }
        return out.sorted()
    }

    /// `logbook dump DATA_DIR`: every event decoded, one JSON object per line.
    static func dump(_ dataDir: String, binary: URL) throws -> String {
        let tool = Process()
        tool.executableURL = binary.deletingLastPathComponent().appendingPathComponent("logbook")
        tool.arguments = ["dump", dataDir]
        let output = Pipe()
        tool.standardOutput = output
        tool.standardError = FileHandle.nullDevice
        try tool.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tool.waitUntilExit()
        #expect(tool.terminationStatus == 0, "logbook dump failed")
        return text
    }

    // MARK: - The test

    @Test(.timeLimit(.minutes(3)))
    func erasureReachesEveryCopyOnDisk() async throws {
        let binary = try #require(LogbookdProcessTests.binary, "logbookd must be built next to the tests (swift build --build-tests)")
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("logbookd-erasure-\(UUID().uuidString)").path
        let dataDir = base + "/data"
        let logFile = base + "/logbookd.log"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let port = Int.random(in: 20_000...60_000)

        var server = try Server(binary: binary, dataDir: dataDir, port: port, logFile: logFile)
        defer { server.stop() }
        try await server.waitUntilReady()

        // Every kind of personal data, every command with an Idempotency-Key (keys and the
        // username carry nothing personal: they are stored in the clear on purpose).
        let registration = #"{"username":"member_rb7","password":"correct-horse-7","display_name":"Zelda Quux"}"#
        let (registered, registeredBody, firstAnswer) = try await server.request("POST", "/v1/members", json: registration, key: "idem-register-1")
        try #require(registered == 201, "\(registeredBody)")
        let token = try #require(registeredBody["token"] as? String)
        let id = try #require((registeredBody["member"] as? [String: Any])?["id"] as? String)

        let patch = #"{"avatar_url":"https://img.example.com/zelda-quux-avatar.png","gender":"female"}"#
        let (patched, patchedBody, _) = try await server.request("PATCH", "/v1/members/me", json: patch, token: token, key: "idem-patch-1")
        #expect(patched == 200 && patchedBody["avatar_url"] as? String == "https://img.example.com/zelda-quux-avatar.png")

        let address = #"{"full_name":"Zelda Quux","zip_code":"424242","address":"7 Hidden Lane Zeldaville","phone":"13700000001","type":"main_live","default":true}"#
        let (added, addedBody, _) = try await server.request("POST", "/v1/members/me/addresses", json: address, token: token, key: "idem-address-1")
        #expect(added == 201 && addedBody["address"] as? String == "7 Hidden Lane Zeldaville", "\(addedBody)")

        let question = #"{"question":"Zelda favourite colour?","answer":"ultramarine-answer"}"#
        let (asked, _, _) = try await server.request("PUT", "/v1/members/me/security-question", json: question, token: token, key: "idem-question-1")
        #expect(asked == 204)

        let (bound, boundBody, _) = try await server.request(
            "POST", "/v1/members/me/email", json: #"{"email":"zelda.quux@example.com"}"#, token: token, key: "idem-email-1")
        #expect(bound == 202, "\(boundBody)")
        let verificationKey = try #require(boundBody["verification_key"] as? String)
        var code: String?
        let deadline = ContinuousClock.now + .seconds(10)
        while code == nil, ContinuousClock.now < deadline {
            let (_, outbox, _) = try await server.request("GET", "/v1/dev/outbox?to=zelda.quux%40example.com")
            code = (outbox["items"] as? [[String: Any]])?.first?["code"] as? String
            if code == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let delivered = try #require(code, "the bind_email code never reached the dev outbox")
        let confirm = #"{"verification_key":"\#(verificationKey)","code":"\#(delivered)"}"#
        let (confirmed, confirmedBody, _) = try await server.request(
            "POST", "/v1/members/me/email/confirm", json: confirm, token: token, key: "idem-confirm-1")
        #expect(confirmed == 200 && confirmedBody["email"] as? String == "zelda.quux@example.com", "\(confirmedBody)")

        // While the member exists, the stored answers replay (so they are really stored).
        let (replayed, _, replayedAnswer) = try await server.request("POST", "/v1/members", json: registration, key: "idem-register-1")
        #expect(replayed == 201 && replayedAnswer == firstAnswer)
        let (me, meBody, _) = try await server.request("GET", "/v1/members/me", token: token)
        #expect(me == 200 && meBody["display_name"] as? String == "Zelda Quux" && meBody["email_verified"] as? Bool == true)

        let (deleted, deletedBody, _) = try await server.request(
            "DELETE", "/v1/members/me", json: #"{"password":"correct-horse-7"}"#, token: token, key: "idem-delete-1")
        try #require(deleted == 204, "\(deletedBody)")
        server.stop()
        #expect(server.process.terminationStatus == 0)

        // Every file under the data directory: raw bytes, and every zstd frame inside them.
        let paths = Self.files(under: dataDir)
        #expect(paths.contains { $0.hasSuffix("/log/data.mdb") } && paths.contains { $0.hasSuffix("/member-keys") })
        var leaks: [String] = []
        var frames = 0
        var scanned: [String] = []
        var decompressedUsername = false
        var rawIdempotencyKey = false
        for path in paths {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let name = String(path.dropFirst(dataDir.count + 1))
            scanned.append("\(name) (\(bytes.count) bytes)")
            leaks += Self.leaks(in: bytes, source: name)
            rawIdempotencyKey = rawIdempotencyKey || Self.find(Array("idem-register-1".utf8), in: bytes) != nil
            for (offset, output) in Self.decompressEverywhere(bytes) {
                frames += 1
                leaks += Self.leaks(in: output, source: "a zstd frame at byte \(offset) of \(name)")
                decompressedUsername = decompressedUsername || Self.find(Array("member_rb7".utf8), in: output) != nil
            }
        }
        // The search can see: the scanned bytes hold what is stored in the clear on purpose.
        #expect(rawIdempotencyKey, "the idempotency key (stored as an LMDB key) was not found raw: the scan is blind")
        #expect(decompressedUsername, "the username was not found in any decompressed frame: the decompression scan is blind")

        let dumped = try Self.dump(dataDir, binary: binary)
        let events = dumped.split(separator: "\n").count
        print("erasure scan: \(scanned.joined(separator: ", ")); \(frames) zstd frames decompressed; dump: \(events) events")
        // Every record is a frame (more may be read-model checkpoints and stale pages).
        #expect(frames >= events, "only \(frames) frames decompressed for \(events) events")
        #expect(dumped.contains("member_rb7") && dumped.contains("idem-confirm-1"), "the dump does not decode the member's events")
        leaks += Self.leaks(in: Array(dumped.utf8), source: "logbook dump")
        #expect(leaks.isEmpty, "personal data of a deleted member on disk:\n\(leaks.prefix(30).joined(separator: "\n"))")

        // After a restart: the member is gone, and so are the answers that held their data.
        server = try Server(binary: binary, dataDir: dataDir, port: port, logFile: logFile)
        try await server.waitUntilReady()
        let (profile, _, _) = try await server.request("GET", "/v1/members/\(id)")
        #expect(profile == 404)
        let (replay, replayBody, replayData) = try await server.request("POST", "/v1/members", json: registration, key: "idem-register-1")
        #expect(replay == 404 && (replayBody["error"] as? [String: Any])?["code"] as? String == "not_found", "\(replayBody)")
        leaks = Self.leaks(in: [UInt8](replayData), source: "the registration replay")
        let (patchReplay, _, patchData) = try await server.request("PATCH", "/v1/members/me", json: patch, token: token, key: "idem-patch-1")
        #expect(patchReplay == 404, "PATCH replay: \(patchReplay)")
        leaks += Self.leaks(in: [UInt8](patchData), source: "the profile replay")
        let (addressReplay, _, addressData) = try await server.request(
            "POST", "/v1/members/me/addresses", json: address, token: token, key: "idem-address-1")
        #expect(addressReplay == 404, "address replay: \(addressReplay)")
        leaks += Self.leaks(in: [UInt8](addressData), source: "the address replay")
        let (confirmReplay, _, confirmData) = try await server.request(
            "POST", "/v1/members/me/email/confirm", json: confirm, token: token, key: "idem-confirm-1")
        #expect(confirmReplay == 404, "email confirm replay: \(confirmReplay)")
        leaks += Self.leaks(in: [UInt8](confirmData), source: "the email confirm replay")
        #expect(leaks.isEmpty, "\(leaks)")
        let (deleteReplay, _, _) = try await server.request(
            "DELETE", "/v1/members/me", json: #"{"password":"correct-horse-7"}"#, token: token, key: "idem-delete-1")
        #expect(deleteReplay == 204, "the deletion's own (impersonal) answer replays")
    }
}
