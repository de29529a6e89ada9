import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The three kinds of write the failure tests send, each to its own new entity (a new
/// phone, a new username, new bytes), and everything they were answered: what was
/// acknowledged (to look for afterwards), how many 503s, and anything else, which no test
/// expects (a 500, a dropped connection, a 503 without API.md's envelope).
actor WriteLedger {
    enum Kind: String, CaseIterable, Sendable {
        case verification, registration, upload
    }

    private(set) var verificationKeys: [String] = []
    private(set) var memberIDs: [String] = []
    private(set) var uploads: [String: Data] = [:]
    private(set) var unavailable: [Kind: Int] = [:]
    private(set) var unexpected: [String] = []
    private var serial = 0

    var acknowledged: Int { verificationKeys.count + memberIDs.count + uploads.count }

    func unavailableCount(_ kind: Kind) -> Int { unavailable[kind] ?? 0 }

    func note(_ problem: String) { unexpected.append(problem) }

    private func next() -> Int {
        serial += 1
        return serial
    }

    /// Sends a code to a new phone; whether it was acknowledged.
    @discardableResult
    func sendCode(_ client: TestClient) async -> Bool {
        let n = next()
        let phone = "+86137" + String(format: "%08d", n)
        let reply = await send(.verification, client, "POST", "/v1/verifications", #"{"channel":"sms","to":"\#(phone)","operation":"login"}"#)
        guard let key = reply?["key"] as? String else { return false }
        verificationKeys.append(key)
        return true
    }

    /// Registers a new member; its token, when acknowledged.
    @discardableResult
    func register(_ client: TestClient) async -> String? {
        let n = next()
        let body = #"{"username":"disk_\#(n)","password":"correct-horse-\#(n)","display_name":"Disk \#(n)"}"#
        let reply = await send(.registration, client, "POST", "/v1/members", body)
        guard let member = reply?["member"] as? [String: Any], let id = member["id"] as? String else { return nil }
        memberIDs.append(id)
        return reply?["token"] as? String
    }

    /// Uploads `size` new bytes (a PNG signature, then random bytes) as the member of `token`.
    func upload(_ client: TestClient, token: String, size: Int) async {
        var bytes = [UInt8](repeating: 0, count: size)
        bytes.replaceSubrange(0..<8, with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var random = SystemRandomNumberGenerator()
        for i in stride(from: 8, to: size, by: 8) {
            withUnsafeBytes(of: random.next() as UInt64) { word in
                for j in 0..<min(8, size - i) { bytes[i + j] = word[j] }
            }
        }
        let reply = await send(.upload, client, "POST", "/v1/uploads", bytes: bytes, contentType: "image/png", token: token)
        if let sha = reply?["sha256"] as? String { uploads[sha] = Data(bytes) }
    }

    /// Sends one write; its JSON answer when it was a 2xx, nil otherwise (a 503 counted, anything else noted).
    private func send(
        _ kind: Kind, _ client: TestClient, _ method: String, _ path: String, _ json: String? = nil,
        bytes: [UInt8]? = nil, contentType: String = "application/json", token: String? = nil
    ) async -> [String: Any]? {
        let reply: HostileInputProcessTests.Reply
        do {
            reply = try await client.send(method, path, body: bytes ?? json.map { Array($0.utf8) }, contentType: contentType, token: token)
        } catch {
            unexpected.append("\(method) \(path): no answer (\(error))")
            return nil
        }
        let object = (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any]
        switch reply.status {
        case 200..<300:
            return object ?? [:]
        case 503 where (object?["error"] as? [String: Any])?["code"] as? String == "unavailable":
            unavailable[kind, default: 0] += 1
        default:
            unexpected.append("\(method) \(path): \(reply.status) \(String(decoding: reply.body.prefix(200), as: UTF8.self))")
        }
        return nil
    }

    /// Every acknowledged write that the server does not show as it was acknowledged.
    func missing(_ client: TestClient) async -> [String] {
        var missing: [String] = []
        for key in verificationKeys where (try? await client.send("GET", "/v1/verifications/\(key)"))?.status != 200 {
            missing.append("verification \(key)")
        }
        for id in memberIDs where (try? await client.send("GET", "/v1/members/\(id)"))?.status != 200 {
            missing.append("member \(id)")
        }
        for (sha, bytes) in uploads {
            let reply = try? await client.send("GET", "/v1/uploads/\(sha)")
            if reply?.status != 200 || reply?.body != bytes { missing.append("upload \(sha)") }
        }
        return missing
    }
}
