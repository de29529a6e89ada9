import Foundation

/// An image type the upload route accepts, with the bytes its files start with.
///
/// A signature is a pattern: `nil` matches any byte (WebP's file size between
/// `RIFF` and `WEBP`).
struct ImageFormat: Sendable {
    let contentType: String
    let signature: [UInt8?]

    static let all: [ImageFormat] = [
        ImageFormat(contentType: "image/png", signature: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ImageFormat(contentType: "image/jpeg", signature: [0xFF, 0xD8, 0xFF]),
        ImageFormat(contentType: "image/gif", signature: Array("GIF8".utf8)),
        ImageFormat(contentType: "image/webp", signature: Array("RIFF".utf8) + [nil, nil, nil, nil] + Array("WEBP".utf8)),
    ]

    /// The format a `Content-Type` header declares (parameters and case ignored); nil
    /// for anything else.
    static func declared(by header: String?) -> ImageFormat? {
        guard let header, let type = header.split(separator: ";").first else { return nil }
        let name = type.trimmingCharacters(in: .whitespaces).lowercased()
        return all.first { $0.contentType == name }
    }

    /// The format `bytes` start with, if any.
    static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        all.first { $0.signature.count <= bytes.count && $0.couldStart(bytes) }
    }

    /// Whether a file starting with `prefix` (possibly shorter than the signature) can
    /// still be of this format.
    func couldStart(_ prefix: some Collection<UInt8>) -> Bool {
        zip(signature, prefix).allSatisfy { expected, byte in expected.map { $0 == byte } ?? true }
    }
}
