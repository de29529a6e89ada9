import Crypto
import EventSourcing
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A PNG-looking body: the signature, then `count` bytes of `fill`.
func pngBytes(_ count: Int = 100, fill: UInt8 = 7) -> [UInt8] {
    [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: fill, count: count)
}

func sha256Hex(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

extension TestClientProtocol {
    /// POSTs `bytes` to /v1/uploads with `type` (and the member's token when given).
    func upload(_ bytes: [UInt8], type: String, token: String?, idempotencyKey: String? = nil) async throws -> Reply {
        var headers: HTTPFields = [.contentType: type]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        return try await execute(uri: "/v1/uploads", method: .post, headers: headers, body: ByteBuffer(bytes: bytes)) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
            return Reply(status: response.status, headers: response.headers, json: object ?? [:])
        }
    }
}

@Suite struct UploadAPITests {
    func storedEvents(_ server: TestServer) async throws -> [RecordedEvent] {
        try await server.log.read(from: 1, limit: 10_000).filter { $0.type.hasPrefix("upload.stored") }
    }

    @Test func imagesAreStoredOnceAndServedBackByteForByte() async throws {
        let server = try await TestServer()
        let png = pngBytes()
        try await server.test { client in
            let (_, token) = try await client.registerMember("ulla")
            let stored = try await client.upload(png, type: "image/png", token: token)
            #expect(stored.status == .created)
            let sha = sha256Hex(png)
            #expect(stored["sha256"] as? String == sha && stored["size"] as? Int == png.count)
            #expect(stored["url"] as? String == "/v1/uploads/\(sha)" && stored["content_type"] as? String == "image/png")
            #expect(try await client.upload(png, type: "image/png", token: token).status == .created)
            let events = try await storedEvents(server)
            #expect(events.map(\.type) == ["upload.stored.v2"], "the same content by the same member is recorded once")
            #expect(events.first?.stream.rawValue.hasPrefix("uploads-") == true)
            try await client.execute(uri: "/v1/uploads/\(sha)", method: .get) { response in
                #expect(response.status == .ok && Array(response.body.readableBytesView) == png)
                #expect(response.headers[.contentType] == "image/png")
            }
            #expect(try await client.call(.get, "/v1/uploads/\(String(repeating: "0", count: 64))").status == .notFound)
            #expect(try await client.call(.get, "/v1/uploads/not-a-hash").status == .notFound)
        }
    }

    /// API.md: every POST under /v1 accepts `Idempotency-Key`. An upload's fingerprint is
    /// its image (type and hash): a retry gets the first answer and appends nothing; another
    /// image under the key is 422 and leaves nothing behind.
    @Test func uploadsHonourIdempotencyKeys() async throws {
        let store = MemoryBlobStore()
        let server = try await TestServer(uploads: store)
        try await server.test { client in
            let (_, token) = try await client.registerMember("ulla")
            let png = pngBytes(fill: 1), other = pngBytes(fill: 2)
            let first = try await client.upload(png, type: "image/png", token: token, idempotencyKey: "up-1")
            #expect(first.status == .created)
            let head = try await server.log.head().size
            let retry = try await client.upload(png, type: "image/png", token: token, idempotencyKey: "up-1")
            #expect(retry.status == .created && NSDictionary(dictionary: retry.json) == NSDictionary(dictionary: first.json))
            #expect(try await server.log.head().size == head, "a retry appends nothing")
            let reused = try await client.upload(other, type: "image/png", token: token, idempotencyKey: "up-1")
            #expect(reused.status == .unprocessableContent && reused.errorCode == "idempotency_key_reused")
            #expect(try await client.call(.get, "/v1/uploads/\(sha256Hex(other))").status == .notFound, "the refused image is not kept")
            #expect(try await storedEvents(server).count == 1)
            // A content the member stored before appends no event, but its answer is kept under the key.
            let again = try await client.upload(png, type: "image/png", token: token, idempotencyKey: "up-2")
            #expect(again.status == .created)
            let reusedAgain = try await client.upload(other, type: "image/png", token: token, idempotencyKey: "up-2")
            #expect(reusedAgain.status == .unprocessableContent && reusedAgain.errorCode == "idempotency_key_reused")
            let malformed = try await client.upload(png, type: "image/png", token: token, idempotencyKey: String(repeating: "k", count: 129))
            #expect(malformed.status == .badRequest && malformed.errorCode == "validation_failed")
            // Keys are scoped to the caller: another member's same key is a request of its own.
            let (_, otherToken) = try await client.registerMember("olga")
            #expect(try await client.upload(other, type: "image/png", token: otherToken, idempotencyKey: "up-1").status == .created)
            #expect(try await storedEvents(server).count == 2)
        }
    }

    /// Two requests racing with one key and two images: one is 201, the other 422, and
    /// only the winner's bytes are kept (the loser used to commit its file between its
    /// idempotency check and its append, leaving a blob no event counts).
    @Test func racingUploadsUnderOneKeyKeepOnlyTheWinnersBytes() async throws {
        let store = MemoryBlobStore()
        let server = try await TestServer(uploads: store)
        try await server.test { client in
            let (_, token) = try await client.registerMember("ulla")
            let pairs = 24
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for pair in 0..<pairs {
                    for image in 0..<2 {
                        group.addTask {
                            try await client.upload(
                                pngBytes(10, fill: UInt8(2 * pair + image)), type: "image/png", token: token,
                                idempotencyKey: "race-\(pair)"
                            ).status
                        }
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == pairs)
            #expect(statuses.filter { $0 == .unprocessableContent }.count == pairs)
            #expect(store.count == pairs, "one content kept per key")
            #expect(store.open.withLock { $0 } == 0)
        }
    }

    @Test func uploadsNeedAMemberToken() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let anonymous = try await client.upload(pngBytes(), type: "image/png", token: nil)
            #expect(anonymous.status == .unauthorized && anonymous.errorCode == "unauthenticated")
            let forged = try await client.upload(pngBytes(), type: "image/png", token: "not-a-token")
            #expect(forged.status == .unauthorized && forged.errorCode == "unauthenticated")
            #expect(try await storedEvents(server).isEmpty)
            #expect(try await client.call(.get, "/v1/uploads/\(sha256Hex(pngBytes()))").status == .notFound)
        }
    }

    @Test func theBytesMustBeAnImageOfTheDeclaredType() async throws {
        let store = MemoryBlobStore()
        let server = try await TestServer(uploads: store)
        try await server.test { client in
            let (_, token) = try await client.registerMember("ulla")
            let text = try await client.upload(pngBytes(), type: "text/plain", token: token)
            #expect(text.status == .unsupportedMediaType && text.errorCode == "unsupported_media_type")
            let mismatch = try await client.upload(pngBytes(), type: "image/jpeg", token: token)
            #expect(mismatch.status == .unsupportedMediaType && mismatch.errorCode == "unsupported_media_type")
            #expect(try await client.upload([0x89, 0x50], type: "image/png", token: token).status == .unsupportedMediaType)
            #expect(try await storedEvents(server).isEmpty)
            #expect(store.open.withLock { $0 } == 0, "every refused upload was discarded")
            let webp = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBP".utf8) + [1, 2, 3]
            #expect(try await client.upload(webp, type: "image/webp; charset=binary", token: token).status == .created)
        }
    }

    @Test func moreThanTenMiBIsRefusedWhileStreaming() async throws {
        let store = MemoryBlobStore()
        let server = try await TestServer(uploads: store)
        try await server.test { client in
            let (_, token) = try await client.registerMember("ulla")
            let big = pngBytes(UploadRoutes.maxSize)
            let refused = try await client.upload(big, type: "image/png", token: token)
            #expect(refused.status == .contentTooLarge && refused.errorCode == "payload_too_large")
            #expect(store.open.withLock { $0 } == 0)
            #expect(try await storedEvents(server).isEmpty)
            #expect(try await client.upload(pngBytes(UploadRoutes.maxSize - 8), type: "image/png", token: token).status == .created)
        }
    }

    @Test func aMemberCannotStoreMoreThanTheQuota() async throws {
        let store = MemoryBlobStore()
        let server = try await TestServer(uploads: store, uploadQuotaBytes: 250)
        let (first, second, third) = (pngBytes(fill: 1), pngBytes(fill: 2), pngBytes(fill: 3))  // 108 bytes each
        try await server.test { client in
            let (_, ulla) = try await client.registerMember("ulla")
            #expect(try await client.upload(first, type: "image/png", token: ulla).status == .created)
            #expect(try await client.upload(second, type: "image/png", token: ulla).status == .created)
            let over = try await client.upload(third, type: "image/png", token: ulla)
            #expect(over.status == .tooManyRequests && over.errorCode == "quota_exceeded")
            #expect(over.headers[.retryAfter] == nil, "a quota does not recover with time")
            #expect(try await storedEvents(server).count == 2, "the refused upload appends nothing")
            #expect(try await client.call(.get, "/v1/uploads/\(sha256Hex(third))").status == .notFound, "nor stores its bytes")
            #expect(store.open.withLock { $0 } == 0)
            #expect(try await client.upload(first, type: "image/png", token: ulla).status == .created, "stored content is fine")
            #expect(try await storedEvents(server).count == 2)

            // Another member has a quota of their own, and a content two members upload counts for both.
            let (_, vera) = try await client.registerMember("vera")
            #expect(try await client.upload(third, type: "image/png", token: vera).status == .created)
            #expect(try await client.upload(first, type: "image/png", token: vera).status == .created)
            #expect(try await client.upload(second, type: "image/png", token: vera).status == .tooManyRequests)
            #expect(try await storedEvents(server).count == 4)
        }
    }
}
