import Crypto
public import EventSourcing
import Foundation
public import Hummingbird
import Logging

/// Where upload bytes live: content-addressed by SHA-256 (hex). `put` returns only once
/// the bytes are durable.
public protocol BlobStore: Sendable {
    func put(_ bytes: [UInt8], sha256: String) async throws
    func get(sha256: String) async throws -> [UInt8]?
}

/// `POST /v1/uploads` and `GET /v1/uploads/{sha256}` (API.md Operations): images up to
/// 10 MiB, checked by their first bytes, stored once per content; each new upload is
/// recorded as an `upload.stored.v1` event.
public struct UploadRoutes: Sendable {
    let store: any BlobStore
    let log: any EventLog
    let clock: @Sendable () -> Timestamp
    public static let maxSize = 10 << 20

    public init(store: any BlobStore, log: any EventLog, clock: @escaping @Sendable () -> Timestamp) {
        self.store = store
        self.log = log
        self.clock = clock
    }

    /// The media types accepted, with the bytes their files start with.
    static let signatures: [(type: String, magic: [UInt8])] = [
        ("image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("image/jpeg", [0xFF, 0xD8, 0xFF]),
        ("image/gif", Array("GIF8".utf8)),
        ("image/webp", Array("RIFF".utf8)),
    ]

    struct Stored: Encodable {
        var url, sha256, contentType: String
        var size: Int
        enum CodingKeys: String, CodingKey { case url, sha256, size, contentType = "content_type" }
    }

    public func register(on router: Router<AppRequestContext>, table: RouteTable) {
        let (store, log, clock) = (self.store, self.log, self.clock)
        table.add(
            router, .post, "/v1/uploads", summary: "Upload an image (raw body; image/png, jpeg, gif or webp; 10 MiB at most).",
            responses: [
                201: ("Stored", .properties(["url": .string, "sha256": .string, "size": .integer, "content_type": .string])),
                400: ("The bytes are not of the declared type", nil), 413: ("Too large", nil), 415: ("Not an image type", nil),
            ]
        ) { request, context in
            let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type, let signature = Self.signatures.first(where: { $0.type == type }) else {
                throw APIError(.unsupportedMediaType, "unsupported_media_type", "Upload image/png, image/jpeg, image/gif or image/webp.")
            }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: Self.maxSize)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw APIError(.contentTooLarge, "payload_too_large", "Uploads are 10 MiB at most.")
            }
            let bytes = Array(body.readableBytesView)
            guard bytes.starts(with: signature.magic), type != "image/webp" || (bytes.count > 12 && bytes[8..<12].elementsEqual("WEBP".utf8))
            else { throw APIError.validation(field: "body", "The bytes are not a \(type) file.") }
            let sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            try await store.put(bytes, sha256: sha256)
            let payload: [UInt8] = {
                var w = BinaryWriter()
                w.write(sha256); w.write(UInt64(bytes.count)); w.write(type)
                return w.bytes
            }()
            do {
                _ = try await log.append(AppendRequest(
                    stream: StreamID(StreamCategory("upload"), key: sha256) ?? "upload-invalid", expected: .noStream,
                    events: [NewEvent(type: "upload.stored.v1", payload: payload, timestamp: clock(),
                                      metadata: EventMetadata(correlationID: context.logger[metadataKey: "hb.request.id"]?.description))]))
            } catch let error as EventLogError where error.code == .wrongExpectedVersion {
                // The same content was uploaded before: nothing new to record.
            }
            return StoredResponse(status: .created, encoding: Stored(
                url: "/v1/uploads/\(sha256)", sha256: sha256, contentType: type, size: bytes.count)).response
        }
        table.add(
            router, .get, "/v1/uploads/{sha256}", summary: "An uploaded file's bytes.",
            responses: [200: ("The bytes", nil), 404: ("Unknown", nil)]
        ) { _, context in
            let sha256 = try context.parameters.require("sha256")
            guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit), let bytes = try await store.get(sha256: sha256.lowercased()) else {
                throw APIError(.notFound, "not_found", "No such upload.")
            }
            let type = Self.signatures.first { bytes.starts(with: $0.magic) }?.type ?? "application/octet-stream"
            return Response(
                status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=31536000, immutable"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}

