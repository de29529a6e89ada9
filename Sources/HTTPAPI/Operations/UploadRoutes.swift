import ServerKit
import EventSourcing
import Foundation
import Hummingbird
import Logging
import Members

/// `POST /v1/uploads` and `GET /v1/uploads/{sha256}` (API.md Operations): a member's
/// images up to 10 MiB, streamed to the blob store while hashed and checked by their
/// first bytes, stored once per content, and counted against the member's quota
/// (`UploadQuota`, an `upload.stored.v2` event per content new for the member).
///
/// 401 without a member token, 415 for a type other than PNG, JPEG, GIF or WebP or bytes
/// that are not of the declared type, 413 past 10 MiB, 429 `quota_exceeded` past the
/// quota, 503 when the disk is full or failing. A refused upload leaves no file behind.
/// `Idempotency-Key` is honoured like on every command, its fingerprint taken over the
/// image's type and hash (the body is streamed to disk, not held): a retry with the same
/// image gets the first answer and appends nothing, another image under the key is 422.
public struct UploadRoutes: Sendable {
    let uploads: UploadsSetup
    let log: any EventLog
    let auth: MemberAuth
    let clock: @Sendable () -> Timestamp
    public static let maxSize = 10 << 20

    init(uploads: UploadsSetup, log: any EventLog, auth: MemberAuth, clock: @escaping @Sendable () -> Timestamp) {
        self.uploads = uploads
        self.log = log
        self.auth = auth
        self.clock = clock
    }

    struct Stored: Encodable {
        var url, sha256, contentType: String
        var size: Int
        enum CodingKeys: String, CodingKey { case url, sha256, size, contentType = "content_type" }
    }

    func register(on routes: RouteContext) {
        let (store, auth, commands) = (uploads.store, self.auth, routes.commands)
        let quota = UploadQuota(log: log, usage: uploads.usage, quotaBytes: uploads.quotaBytes, clock: clock)
        // One member's uploads pass the idempotency check and commit one at a time, so a
        // request cannot commit its bytes while another with the same key is between its
        // check and its append (the loser's file would stay, counted by no event).
        let memberUploads = KeyedQueue()
        routes.add(
            .post, "/v1/uploads",
            summary: "Upload an image as a member (raw body; image/png, jpeg, gif or webp; 10 MiB at most; a per-member quota).",
            responses: [
                201: ("Stored", .properties(["url": .string, "sha256": .string, "size": .integer, "content_type": .string])),
                401: ("No valid member token", nil), 413: ("Too large", nil),
                415: ("Not an image type, or the bytes are not of the declared type", nil),
                429: ("The member's upload quota would be exceeded (`quota_exceeded`)", nil), 503: ("Storage full or failing", nil),
            ]
        ) { request, context in
            let principal = try auth.principal(request)
            guard let stream = StreamID(.uploads, key: principal.memberID) else { throw APIError.unauthenticated }
            guard let format = ImageFormat.declared(by: request.headers[.contentType]) else {
                throw APIError(.unsupportedMediaType, "unsupported_media_type", "Upload image/png, image/jpeg, image/gif or image/webp.")
            }
            if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maxSize { throw UploadReceiver.tooLarge }
            let key = try Idempotency.key(of: request)  // a malformed key is 400 before the body is read
            let upload = try await Self.storage(context) { try await store.begin() }
            do {
                let received = try await Self.storage(context) {
                    try await UploadReceiver(format: format, limit: Self.maxSize).receive(request.body, into: upload)
                }
                // The same key with the same image (type and hash) replays the first answer;
                // with another image it is 422. Checked before the bytes are committed.
                let idempotency = try commands.idempotency(request, identity: Array("\(format.contentType) \(received.sha256)".utf8))
                return try await memberUploads.run(principal.memberID) {
                    if let idempotency, let replay = try await idempotency.replay(from: commands.log) {
                        await upload.discard()
                        return replay
                    }
                    let answer = StoredResponse(status: .created, encoding: Stored(
                        url: "/v1/uploads/\(received.sha256)", sha256: received.sha256, contentType: format.contentType,
                        size: received.size))
                    let stored = try await Self.storage(context) {
                        try await quota.store(
                            received, format: format, upload: upload, memberID: principal.memberID, stream: stream,
                            metadata: EventMetadata(correlationID: context.requestID, idempotencyKey: key),
                            idempotency: try idempotency?.record(answer, sealing: .member(principal.memberID)))
                    }
                    if let stored, let idempotency { return try idempotency.replay(stored) }
                    return answer.response
                }
            } catch {
                await upload.discard()
                throw error
            }
        }
        routes.add(
            .get, "/v1/uploads/{sha256}", summary: "An uploaded file's bytes.",
            responses: [200: ("The bytes", nil), 404: ("Unknown", nil), 503: ("Storage failing", nil)]
        ) { _, context in
            let sha256 = try context.parameters.require("sha256")
            guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit),
                let bytes = try await Self.storage(context, { try await store.get(sha256: sha256.lowercased()) })
            else { throw APIError(.notFound, "not_found", "No such upload.") }
            return Response(
                status: .ok,
                headers: [
                    .contentType: ImageFormat.sniff(bytes)?.contentType ?? "application/octet-stream",
                    .cacheControl: "public, max-age=31536000, immutable",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    /// Runs `body`, answering a blob store failure with 503 `unavailable` and a broken
    /// body stream with 400 (the client went away or sent garbage).
    static func storage<T>(_ context: AppRequestContext, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as BlobStoreError {
            context.logger.error("upload storage failed", metadata: ["error": "\(error)"])
            throw APIError(.serviceUnavailable, "unavailable", "Storage cannot accept uploads right now.")
        } catch is UploadReceiver.BodyFailed {
            throw APIError.validation(field: "body", "The body ended before it was complete.")
        }
    }
}
