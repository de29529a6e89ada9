import Crypto
import EventSourcing
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct UploadAPITests {
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 100)

    func upload(_ client: any TestClientProtocol, _ bytes: [UInt8], type: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: "/v1/uploads", method: .post, headers: [.contentType: type], body: ByteBuffer(bytes: bytes)) {
            ($0.status, (try? JSONSerialization.jsonObject(with: Data($0.body.readableBytesView))) as? [String: Any] ?? [:])
        }
    }

    @Test func imagesAreStoredOnceAndServedBack() async throws {
        let server = try await TestServer()
        let png = self.png
        try await server.test { client in
            let (status, stored) = try await upload(client, png, type: "image/png")
            #expect(status == .created)
            let sha = SHA256.hash(data: png).map { String(format: "%02x", $0) }.joined()
            #expect(stored["sha256"] as? String == sha && stored["size"] as? Int == png.count)
            #expect(stored["url"] as? String == "/v1/uploads/\(sha)" && stored["content_type"] as? String == "image/png")
            let (again, _) = try await upload(client, png, type: "image/png")
            #expect(again == .created)
            let events = try await server.log.read(from: 1, limit: 10)
            #expect(events.filter { $0.type == "upload.stored.v1" }.count == 1)
            try await client.execute(uri: "/v1/uploads/\(sha)", method: .get) { response in
                #expect(response.status == .ok && Array(response.body.readableBytesView) == png)
                #expect(response.headers[.contentType] == "image/png")
            }
            #expect(try await client.call(.get, "/v1/uploads/\(String(repeating: "0", count: 64))").status == .notFound)
            #expect(try await client.call(.get, "/v1/uploads/not-a-hash").status == .notFound)
        }
    }

    @Test func onlyImagesOfTheDeclaredTypeAndSize() async throws {
        let server = try await TestServer()
        let png = self.png
        try await server.test { client in
            #expect(try await upload(client, png, type: "text/plain").0 == .unsupportedMediaType)
            let (mismatch, body) = try await upload(client, png, type: "image/jpeg")
            #expect(mismatch == .badRequest && ((body["error"] as? [String: Any])?["field"] as? String) == "body")
            let big = png + Array(repeating: 0, count: UploadRoutes.maxSize)
            #expect(try await upload(client, big, type: "image/png").0 == .contentTooLarge)
            let webp = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBP".utf8) + [1, 2, 3]
            #expect(try await upload(client, webp, type: "image/webp").0 == .created)
        }
    }
}
