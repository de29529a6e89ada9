import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Every route `GET /openapi.json` lists, against the real `logbookd`, with hostile values in
/// every body field, every path parameter and the usual query parameters: control
/// characters, long strings, a combining-mark flood, numbers at the edges, wrong JSON types and
/// malformed bodies, with a member token and (admin routes) the admin token. No answer may be
/// a 5xx (not even 503: the disk is fine), every 4xx is API.md's envelope, the process stays
/// up, and no request appends more than a few events or grows the log file by much.
@Suite(.serialized) struct HostileInputProcessTests {
    static let adminToken = "hostile-input-admin-token-7f3a"

    // MARK: - The hostile catalogue

    /// Strings that go in body fields (JSON-escaped), path segments and query values (percent-encoded).
    static let hostileStrings: [(label: String, value: String)] = [
        ("ctrl-0001", "\u{0001}"),
        ("nul", "a\u{0000}b"),
        ("only-nul", "\u{0000}"),
        ("300-bytes", String(repeating: "x", count: 300)),
        ("100-KB", String(repeating: "y", count: 100 * 1024)),
        ("combining-flood", "a" + String(repeating: "\u{0301}", count: 5000)),
        ("empty", ""),
        ("uint64-max", "18446744073709551615"),
        ("minus-one", "-1"),
        ("abc", "abc"),
        ("dot-dot", ".."),
        ("percent", "%"),
        ("newline-crlf", "a\r\nX-Injected: 1"),
        ("bidi-override", "\u{202E}evil\u{202D}"),
        ("lone-surrogate-escape", "\u{FFFD}\u{FEFF}"),
    ]

    /// JSON fragments of the wrong type (or at the edges of numbers) for a body field.
    static let hostileJSONValues: [(label: String, json: String)] = [
        ("number-uint64-max", "18446744073709551615"),
        ("number-minus-one", "-1"),
        ("number-huge", "1e400"),
        ("number-fraction", "0.5"),
        ("number-big-int", "123456789012345678901234567890"),
        ("bool", "true"),
        ("null", "null"),
        ("object", "{}"),
        ("nested-object", #"{"a":[1,{"b":null}],"c":"d"}"#),
        ("array", "[]"),
        ("array-of-strings", #"["x","y"]"#),
        ("escaped-lone-surrogate", #""\ud800""#),
    ]

    /// Whole bodies that are not a JSON object of the schema.
    static let malformedBodies: [(label: String, bytes: [UInt8])] = {
        var bodies: [(String, [UInt8])] = [
            ("empty-body", []),
            ("open-brace", Array("{".utf8)),
            ("close-brace", Array("}".utf8)),
            ("missing-value", Array(#"{"a":}"#.utf8)),
            ("trailing-comma", Array(#"{"a":1,}"#.utf8)),
            ("array-body", Array("[]".utf8)),
            ("null-body", Array("null".utf8)),
            ("string-body", Array(#""text""#.utf8)),
            ("number-body", Array("123".utf8)),
            ("nan", Array(#"{"a":NaN}"#.utf8)),
            ("bom-object", [0xEF, 0xBB, 0xBF] + Array("{}".utf8)),
            ("invalid-utf8", Array(#"{"a":""#.utf8) + [0xFF, 0xFE, 0xC0, 0x80] + Array(#""}"#.utf8)),
            ("raw-control-in-string", Array("{\"a\":\"\u{0001}\u{0000}\"}".utf8)),
            ("raw-nul-body", [0x00, 0x00, 0x00]),
            ("single-quotes", Array("{'a':'b'}".utf8)),
            ("unterminated-string", Array(#"{"a":"abc"#.utf8)),
            ("exponent-overflow", Array(#"{"a":1e999999999}"#.utf8)),
            ("deep-arrays", Array(String(repeating: "[", count: 100_000).utf8) + Array(String(repeating: "]", count: 100_000).utf8)),
            ("deep-objects", Array(String(repeating: #"{"a":"#, count: 50_000).utf8) + Array("1".utf8)
                + Array(String(repeating: "}", count: 50_000).utf8)),
            ("deep-unclosed", Array(String(repeating: "[", count: 200_000).utf8)),
            ("many-keys", Array(("{" + (0..<20_000).map { #""k\#($0)":\#($0)"# }.joined(separator: ",") + "}").utf8)),
            ("over-1-MiB", Array(#"{"a":""#.utf8) + [UInt8](repeating: 0x7A, count: 1_200_000) + Array(#""}"#.utf8)),
        ]
        bodies.append(("long-key", Array(("{\"" + String(repeating: "k", count: 200_000) + "\":1}").utf8)))
        return bodies
    }()

    /// The query parameters tried on every GET route (the document does not list them).
    static let queryNames = [
        "after", "limit", "page", "page_size", "q", "cursor", "index", "size", "from", "to", "types", "review_status",
        "before_seq", "token",
    ]

    // MARK: - Talking to the server

    struct Reply {
        var status: Int
        var body: Data
        var contentType: String?
    }

    final class Client: Sendable {
        let session: URLSession
        let port: Int

        init(port: Int) {
            self.port = port
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = 15
            configuration.timeoutIntervalForResource = 30
            configuration.httpMaximumConnectionsPerHost = 1
            session = URLSession(configuration: configuration)
        }

        func send(
            _ method: String, _ target: String, body: [UInt8]? = nil, contentType: String? = "application/json",
            token: String? = nil, headers: [String: String] = [:]
        ) async throws -> Reply {
            guard let url = URL(string: "http://127.0.0.1:\(port)\(target)") else {
                throw CocoaError(.fileReadInvalidFileName, userInfo: [NSDebugDescriptionErrorKey: "bad URL \(target.prefix(200))"])
            }
            var request = URLRequest(url: url)
            request.httpMethod = method
            if let body {
                request.httpBody = Data(body)
                if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
            }
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let (data, response) = try await session.data(for: request)
            let http = response as? HTTPURLResponse
            return Reply(status: http?.statusCode ?? 0, body: data, contentType: http?.value(forHTTPHeaderField: "Content-Type"))
        }

        func json(_ method: String, _ target: String, _ body: String? = nil, token: String? = nil) async throws -> (Int, [String: Any]) {
            let reply = try await send(method, target, body: body.map { Array($0.utf8) }, token: token)
            return (reply.status, (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any] ?? [:])
        }
    }

    final class Server {
        let process = Process()
        let port: Int
        let logFile: String

        init(binary: URL, dataDir: String, port: Int, logFile: String) throws {
            self.port = port
            self.logFile = logFile
            process.executableURL = binary
            process.arguments = ["--dev", "--data-dir", dataDir, "--port", String(port), "--password-hash-log-n", "10"]
            process.environment = ProcessInfo.processInfo.environment.merging(["LOGBOOK_ADMIN_TOKEN": HostileInputProcessTests.adminToken]) { $1 }
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
            try process.run()
        }

        func waitUntilReady(_ client: Client) async throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                if let reply = try? await client.send("GET", "/healthz"), reply.status == 200 { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw CocoaError(.fileReadUnknown, userInfo: [NSDebugDescriptionErrorKey: "logbookd did not start: \(logTail())"])
        }

        func logTail(_ lines: Int = 30) -> String {
            let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
        }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    // MARK: - Encoding helpers

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Percent-encodes everything but ASCII letters, digits and `-_~` (dots too, so `..` is not
    /// squashed by the client), so the value stays one segment or one query value.
    static func percent(_ text: String) -> String {
        // ASCII only: `CharacterSet.alphanumerics` would let letters and combining marks through raw.
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func object(_ fields: [(String, String)]) -> [UInt8] {
        Array(("{" + fields.map { "\(jsonString($0.0)):\($0.1)" }.joined(separator: ",") + "}").utf8)
    }

    // MARK: - Fixtures (a fresh member and ids for each route, so one route's side effects never blind another)

    struct Fixtures {
        var memberID: String
        var username: String
        var token: String
        var password: String
        var addressID: String
        var verificationKey: String
        var captchaID: String
        var uploadSHA: String
        var phone: String
    }

    static func makeFixtures(_ client: Client, index: Int, uploadSHA: String) async throws -> Fixtures {
        let suffix = String(format: "%04d", index)
        let username = "hostile_\(suffix)"
        let password = "correct-horse-\(suffix)"
        let (status, registered) = try await client.json(
            "POST", "/v1/members", #"{"username":"\#(username)","password":"\#(password)","display_name":"Hostile \#(suffix)"}"#)
        try #require(status == 201, "registration for fixtures: \(status) \(registered)")
        let token = try #require(registered["token"] as? String)
        let memberID = try #require((registered["member"] as? [String: Any])?["id"] as? String)
        let (_, address) = try await client.json(
            "POST", "/v1/members/me/addresses",
            #"{"full_name":"Probe Person","zip_code":"100000","address":"1 Probe Road","phone":"13712345678","type":"none"}"#,
            token: token)
        let addressID = try #require(address["id"] as? String, "address fixture: \(address)")
        let phone = "+86137" + String(format: "%08d", index)
        let (_, sent) = try await client.json("POST", "/v1/verifications", #"{"channel":"sms","to":"\#(phone)","operation":"login"}"#)
        let key = try #require(sent["key"] as? String, "verification fixture: \(sent)")
        let (_, captcha) = try await client.json("POST", "/v1/captchas")
        let captchaID = try #require(captcha["id"] as? String, "captcha fixture: \(captcha)")
        return Fixtures(
            memberID: memberID, username: username, token: token, password: password, addressID: addressID, verificationKey: key,
            captchaID: captchaID, uploadSHA: uploadSHA, phone: phone)
    }

    /// A plausible value for a path parameter, so the body and query probes reach past the lookup.
    static func baselinePathValue(_ name: String, path: String, _ f: Fixtures) -> String {
        switch name {
        case "key": return f.verificationKey
        case "sha256": return f.uploadSHA
        case "name": return "Probe Name"
        case "member_id": return f.memberID
        case "id" where path.contains("/addresses/"): return f.addressID
        case "id" where path.contains("/captchas/"): return f.captchaID
        default: return f.memberID
        }
    }

    /// Plausible values for the query parameters, beside the hostile one.
    static func baselineQuery(_ path: String, _ f: Fixtures) -> [String: String] {
        [
            "after": "0", "limit": "10", "page": "1", "page_size": "10", "q": "probe", "index": "0", "size": "1", "from": "0",
            "to": path.hasSuffix("/outbox") ? f.phone : "1", "types": "member", "review_status": "pending", "before_seq": "10",
        ]
    }

    /// A plausible JSON value for a body field, from its schema and name.
    static func baselineFieldValue(_ name: String, schema: [String: Any], path: String, _ f: Fixtures) -> String {
        if let values = schema["enum"] as? [Any], let first = values.first as? String { return jsonString(first) }
        switch schema["type"] as? String {
        case "boolean": return "false"
        case "integer", "number":
            return String(schema["minimum"] as? Int ?? 300)
        case "array": return "[]"
        case "object": return "{}"
        default: break
        }
        let text: String
        switch name {
        case "username": text = path == "/v1/members" ? "probe_newcomer" : f.username
        case "password" where path == "/v1/members": text = "correct-horse-new"
        case "password", "current_password": text = f.password
        case "new_password": text = "battery-staple-9"
        case "display_name": text = "Probe Name"
        case "email": text = "probe@example.com"
        case "phone": text = "13712345678"
        case "to": text = f.phone
        case "operation": text = "login"
        case "verification_key", "phone_verification_key": text = f.verificationKey
        case "member_id", "to_member_id": text = f.memberID
        case "code": text = "123456"
        case "answer": text = "abc"
        case "question": text = "Probe question?"
        case "full_name": text = "Probe Person"
        case "zip_code": text = "100000"
        case "address": text = "1 Probe Road"
        case "avatar_url": text = "https://img.example.com/probe.png"
        default: text = "probe"
        }
        return jsonString(text)
    }

    // MARK: - The run

    struct Tally {
        var requests = 0
        var statuses: [Int: Int] = [:]
        /// Statuses per route template, for the summary.
        var routeStatuses: [Int: Int] = [:]
        var failures: [String] = []
        var maxEventsPerRequest: UInt64 = 0
        var maxFileGrowth: Int64 = 0
    }

    final class Probe {
        let client: Client
        let server: Server
        let dataFile: String
        var lastHead: UInt64 = 0
        var lastFileSize: Int64 = 0
        var tally = Tally()
        static let maxEventsPerRequest: UInt64 = 10
        /// LMDB grows by pages (4 KiB) and copies a B-tree path per database it touches; a request
        /// that appended a 100 KB value would grow it by more than this.
        static let maxFileGrowthPerRequest: Int64 = 96 * 1024

        init(client: Client, server: Server, dataFile: String) {
            self.client = client
            self.server = server
            self.dataFile = dataFile
        }

        func fileSize() -> Int64 {
            ((try? FileManager.default.attributesOfItem(atPath: dataFile))?[.size] as? NSNumber)?.int64Value ?? 0
        }

        func head() async throws -> UInt64 {
            let (status, head) = try await client.json("GET", "/v1/log/head")
            guard status == 200, let size = head["size"] as? Int else {
                throw CocoaError(.fileReadUnknown, userInfo: [NSDebugDescriptionErrorKey: "GET /v1/log/head answered \(status)"])
            }
            return UInt64(size)
        }

        /// Re-reads the head and file size (after fixtures, which append on purpose).
        func resync() async throws {
            lastHead = try await head()
            lastFileSize = fileSize()
        }

        /// Sends one hostile request and checks everything the test promises about its answer.
        /// The route template being probed, for the failure messages (the targets can be 100 KB long).
        var route = ""

        func check(
            _ label: String, _ method: String, _ target: String, body: [UInt8]? = nil, contentType: String? = "application/json",
            token: String?, headers: [String: String] = [:]
        ) async throws {
            tally.requests += 1
            let what = "\(method) \(route) [\(label)]"
            do {
                let reply = try await client.send(method, target, body: body, contentType: contentType, token: token, headers: headers)
                tally.statuses[reply.status, default: 0] += 1
                tally.routeStatuses[reply.status, default: 0] += 1
                if reply.status >= 500 || reply.status < 100 {
                    tally.failures.append("\(what) -> \(reply.status) \(String(decoding: reply.body.prefix(300), as: UTF8.self))")
                } else if reply.status >= 400 {
                    let envelope = (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any]
                    let error = envelope?["error"] as? [String: Any]
                    if !(error?["code"] is String) || !(error?["message"] is String) {
                        tally.failures.append(
                            "\(what) -> \(reply.status) without the error envelope: \(String(decoding: reply.body.prefix(300), as: UTF8.self))")
                    }
                }
            } catch {
                tally.failures.append("\(what) -> no answer: \(error)")
            }
            guard server.process.isRunning else {
                tally.failures.append("\(what) -> the process died (status \(server.process.terminationStatus))\n\(server.logTail())")
                throw CancellationError()
            }
            let size = try await head()
            let grown = size >= lastHead ? size - lastHead : 0
            tally.maxEventsPerRequest = max(tally.maxEventsPerRequest, grown)
            if grown > Self.maxEventsPerRequest { tally.failures.append("\(what) appended \(grown) events") }
            let file = fileSize()
            tally.maxFileGrowth = max(tally.maxFileGrowth, file - lastFileSize)
            if file - lastFileSize > Self.maxFileGrowthPerRequest {
                tally.failures.append("\(what) grew data.mdb by \(file - lastFileSize) bytes")
            }
            (lastHead, lastFileSize) = (size, file)
        }
    }

    static func streamAnswersHeaders(port: Int, query: String) throws -> String {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sN", "-D", "-", "-o", "/dev/null", "--max-time", "1", "-H", "Authorization: Bearer \(adminToken)",
                          "http://127.0.0.1:\(port)/v1/admin/events/stream\(query)"]
        let output = Pipe()
        curl.standardOutput = output
        curl.standardError = FileHandle.nullDevice
        try curl.run()
        let headers = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        curl.waitUntilExit()
        return headers
    }

    @Test(.timeLimit(.minutes(5)))
    func everyRouteRefusesHostileInputCleanly() async throws {
        let binary = try #require(LogbookdProcessTests.binary, "logbookd must be built next to the tests (swift build --build-tests)")
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("logbookd-hostile-\(UUID().uuidString)").path
        let dataDir = base + "/data"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let port = Int.random(in: 20_000...60_000)
        let client = Client(port: port)
        let server = try Server(binary: binary, dataDir: dataDir, port: port, logFile: base + "/logbookd.log")
        defer { server.stop() }
        try await server.waitUntilReady(client)
        let started = ContinuousClock.now

        // An upload so `{sha256}` has a real value.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 9, 9, 9]
        let first = try await Self.makeFixtures(client, index: 0, uploadSHA: "")
        let uploaded = try await client.send("POST", "/v1/uploads", body: png, contentType: "image/png", token: first.token)
        let uploadedJSON = (try? JSONSerialization.jsonObject(with: uploaded.body)) as? [String: Any]
        let uploadSHA = try #require(uploadedJSON?["sha256"] as? String, "upload: \(uploaded.status)")

        let document = try await client.send("GET", "/openapi.json")
        let openapi = try #require((try JSONSerialization.jsonObject(with: document.body)) as? [String: Any])
        let paths = try #require(openapi["paths"] as? [String: [String: Any]])
        var routes: [(method: String, path: String, operation: [String: Any])] = []
        for (path, operations) in paths {
            for (method, operation) in operations {
                if let operation = operation as? [String: Any] { routes.append((method.uppercased(), path, operation)) }
            }
        }
        routes.sort { ($0.path, $0.method) < ($1.path, $1.method) }
        #expect(routes.count >= 30, "the document lists \(routes.count) routes")

        let probe = Probe(client: client, server: server, dataFile: dataDir + "/log/data.mdb")
        try await probe.resync()
        let fileAtStart = probe.fileSize()

        // Heads the HTTP parser refuses (over --max-header-bytes) still answer in the envelope.
        probe.route = "/v1/members/me"
        try await probe.check("20 KB header", "GET", "/v1/members/me", token: first.token, headers: ["X-Hostile": String(repeating: "h", count: 20_000)])
        try await probe.check("100 KB bearer token", "GET", "/v1/members/me", token: String(repeating: "t", count: 100 * 1024))
        try await probe.check("300-byte bearer token", "GET", "/v1/members/me", token: String(repeating: "t", count: 300))
        try await probe.check("200 headers", "GET", "/v1/members/me", token: first.token,
                              headers: Dictionary(uniqueKeysWithValues: (0..<200).map { ("X-H\($0)", "v") }))
        var perRoute: [String] = []

        for (index, route) in routes.enumerated() {
            let fixtures = try await Self.makeFixtures(client, index: index + 1, uploadSHA: uploadSHA)
            try await probe.resync()
            let before = probe.tally.requests
            probe.tally.routeStatuses = [:]
            probe.route = route.path
            let isAdmin = route.path.hasPrefix("/v1/admin/")
            let isStream = route.path == "/v1/admin/events/stream"
            let tokens: [(String, String)] = [("member", fixtures.token)] + (isAdmin ? [("admin", Self.adminToken)] : [])
            let parameters = route.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            func target(replacing name: String? = nil, with value: String? = nil, query: String = "") -> String {
                let path = route.path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
                    guard segment.hasPrefix("{") else { return String(segment) }
                    let parameter = String(segment.dropFirst().dropLast())
                    if parameter == name, let value { return Self.percent(value) }
                    return Self.percent(Self.baselinePathValue(parameter, path: route.path, fixtures))
                }.joined(separator: "/")
                return path + query
            }
            let schema = ((((route.operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"]
                as? [String: Any])?["schema"] as? [String: Any])
            let properties = (schema?["properties"] as? [String: [String: Any]] ?? [:]).sorted { $0.key < $1.key }
            let sendsBody = route.method != "GET"

            for (tokenLabel, token) in tokens {
                if isStream {
                    // A stream: only queries that are refused before streaming; one real request checks its headers.
                    for (label, value) in Self.hostileStrings {
                        try await probe.check("\(tokenLabel) after=\(label)", "GET", route.path + "?after=" + Self.percent(value), token: token)
                    }
                    continue
                }
                // Path parameters.
                for name in parameters {
                    for (label, value) in Self.hostileStrings {
                        try await probe.check(
                            "\(tokenLabel) path \(name)=\(label)", route.method, target(replacing: name, with: value),
                            body: sendsBody ? Array("{}".utf8) : nil, token: token)
                    }
                }
                // Query parameters.
                if route.method == "GET" {
                    // One hostile parameter, the others plausible (so a route that needs two, like
                    // `index` and `size`, gets past the first).
                    let plausible = Self.baselineQuery(route.path, fixtures)
                    for name in Self.queryNames {
                        for (label, value) in Self.hostileStrings {
                            let query = Self.queryNames.compactMap { other -> String? in
                                if other == name { return "\(other)=\(Self.percent(value))" }
                                return plausible[other].map { "\(other)=\(Self.percent($0))" }
                            }.joined(separator: "&")
                            try await probe.check("\(tokenLabel) query \(name)=\(label)", "GET", target(query: "?" + query), token: token)
                        }
                    }
                    try await probe.check(
                        "\(tokenLabel) every query at once", "GET",
                        target(query: "?" + Self.queryNames.map { "\($0)=\(Self.percent("\u{0}-1"))" }.joined(separator: "&")), token: token)
                    continue
                }
                // Body fields, one at a time, the others plausible.
                // Then (when some fields are optional) with only the required ones beside it.
                let baseline = properties.map { ($0.key, Self.baselineFieldValue($0.key, schema: $0.value, path: route.path, fixtures)) }
                let required = Set(schema?["required"] as? [String] ?? [])
                let hostile = Self.hostileStrings.map { ($0.label, Self.jsonString($0.value)) } + Self.hostileJSONValues.map { ($0.label, $0.json) }
                for (field, _) in properties {
                    for (label, json) in hostile {
                        let fields = baseline.map { $0.0 == field ? ($0.0, json) : $0 }
                        try await probe.check("\(tokenLabel) body \(field)=\(label)", route.method, target(), body: Self.object(fields), token: token)
                    }
                    guard required.count < properties.count else { continue }
                    for (label, json) in hostile {
                        let fields = baseline.compactMap { $0.0 == field ? ($0.0, json) : required.contains($0.0) ? $0 : nil }
                        try await probe.check(
                            "\(tokenLabel) body \(field)=\(label), required fields only", route.method, target(), body: Self.object(fields), token: token)
                    }
                }
                // Every field hostile at once.
                for (label, value) in Self.hostileStrings {
                    let fields = properties.map { ($0.key, Self.jsonString(value)) } + [("unknown_field", Self.jsonString(value))]
                    try await probe.check("\(tokenLabel) every field=\(label)", route.method, target(), body: Self.object(fields), token: token)
                }
                // Idempotency-Key values API.md refuses (1-128 visible ASCII).
                for (label, key) in [("key-129", String(repeating: "k", count: 129)), ("key-space", "a b"), ("key-non-ascii", "clé"),
                                     ("key-300", String(repeating: "x", count: 300))] {
                    try await probe.check(
                        "\(tokenLabel) Idempotency-Key \(label)", route.method, target(), body: Self.object(baseline), token: token,
                        headers: ["Idempotency-Key": key])
                }
                // Malformed bodies, and a body that is not JSON.
                for (label, bytes) in Self.malformedBodies {
                    try await probe.check("\(tokenLabel) body \(label)", route.method, target(), body: bytes, token: token)
                }
                try await probe.check(
                    "\(tokenLabel) text/plain", route.method, target(), body: Self.object(baseline), contentType: "text/plain", token: token)
                // Raw bodies for the upload route (image types whose bytes lie, are cut short or too long).
                if route.path == "/v1/uploads" {
                    let magic: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
                    let raw: [(String, String, [UInt8])] = [
                        ("empty png", "image/png", []), ("png magic only", "image/png", magic), ("png cut short", "image/png", [0x89, 0x50]),
                        ("gif declared, png bytes", "image/gif", magic + [1]), ("jpeg start only", "image/jpeg", [0xFF, 0xD8]),
                        ("webp header only", "image/webp", Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBP".utf8)),
                        ("svg", "image/svg+xml", Array("<svg/>".utf8)), ("png with parameters", "image/png; charset=utf-8", magic + [2]),
                        ("11 MiB png", "image/png", magic + [UInt8](repeating: 7, count: 11 << 20)),
                    ]
                    for (label, type, bytes) in raw {
                        try await probe.check("\(tokenLabel) upload \(label)", route.method, target(), body: bytes, contentType: type, token: token)
                    }
                }
            }
            if isStream {
                let headers = try Self.streamAnswersHeaders(port: port, query: "?after=0")
                #expect(headers.hasPrefix("HTTP/1.1 200"), "stream headers: \(headers)")
                #expect(headers.lowercased().contains("content-type: text/event-stream"), "stream headers: \(headers)")
            }
            let healthy = try await client.send("GET", "/healthz")
            #expect(healthy.status == 200, "healthz after \(route.method) \(route.path): \(healthy.status)")
            let seen = probe.tally.routeStatuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
            perRoute.append("  \(route.method) \(route.path): \(probe.tally.requests - before) requests (\(seen))")
        }

        let fileGrowth = probe.fileSize() - fileAtStart
        let elapsed = ContinuousClock.now - started
        let statuses = probe.tally.statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
        print("""
            hostile input: \(routes.count) routes, \(probe.tally.requests) requests in \(elapsed); statuses \(statuses)
            most events appended by one request: \(probe.tally.maxEventsPerRequest); largest data.mdb growth for one request: \
            \(probe.tally.maxFileGrowth) bytes; over the run: \(fileGrowth) bytes
            \(perRoute.joined(separator: "\n"))
            """)
        for failure in probe.tally.failures.prefix(60) { Issue.record(Comment(rawValue: String(failure.prefix(400)))) }
        #expect(probe.tally.failures.isEmpty, "\(probe.tally.failures.count) hostile requests misbehaved")
        #expect(fileGrowth < 4 << 20, "data.mdb grew by \(fileGrowth) bytes over the run")
        let log = (try? String(contentsOfFile: server.logFile, encoding: .utf8)) ?? ""
        let unexpected = log.split(separator: "\n").filter { $0.contains("unexpected error") || $0.contains("storage cannot accept") }
        #expect(unexpected.isEmpty, "server log: \(unexpected.prefix(5))")
        #expect(server.process.isRunning)
    }
}
