import ServerKit
import Crypto
import HTTPTypes
import NIOCore

/// Streams a request body into a `BlobUpload` chunk by chunk, hashing it (SHA-256) on
/// the way, and refuses it as soon as it shows it is not what it must be: 415 when its
/// first bytes do not match the declared format's signature, 413 when it grows past
/// `limit`. Holds at most one chunk and the first bytes of the body in memory.
///
/// It does not discard the upload on failure: the caller does, on every path.
struct UploadReceiver {
    let format: ImageFormat
    let limit: Int

    /// What was received.
    struct Received {
        var sha256: String
        var size: Int
    }

    /// The body stream failed (the client went away or sent a broken body).
    struct BodyFailed: Error {}

    func receive<Body: AsyncSequence>(_ body: Body, into upload: any BlobUpload) async throws -> Received
    where Body.Element == ByteBuffer {
        var hasher = SHA256()
        var size = 0
        var prefix: [UInt8] = []
        var chunks = body.makeAsyncIterator()
        while true {
            let next: ByteBuffer?
            do {
                next = try await chunks.next()
            } catch {
                throw BodyFailed()
            }
            guard let chunk = next else { break }
            size += chunk.readableBytes
            guard size <= limit else { throw Self.tooLarge }
            if prefix.count < format.signature.count {
                prefix += chunk.readableBytesView.prefix(format.signature.count - prefix.count)
                guard format.couldStart(prefix) else { throw notThisFormat }
            }
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            try await upload.write(chunk)
        }
        guard prefix.count == format.signature.count else { throw notThisFormat }
        return Received(sha256: hasher.finalize().map { Self.hex[Int($0)] }.joined(), size: size)
    }

    static let tooLarge = APIError(.contentTooLarge, "payload_too_large", "Uploads are 10 MiB at most.")

    var notThisFormat: APIError {
        APIError(.unsupportedMediaType, "unsupported_media_type", "The bytes are not a \(format.contentType) file.")
    }

    private static let hex = (0..<256).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
}
