public import NIOCore

/// Where upload bytes live: content-addressed by SHA-256 (lower-case hex).
///
/// ## Contract
/// 1. `begin()` opens a temporary upload; `write` appends one chunk at a time, so a
///    body never has to be held in memory (the caller hashes and checks as it streams).
/// 2. `commit(sha256:)` makes the bytes durable under their hash (a content stored
///    before stays as it is) and returns only then; `discard()` removes every trace
///    of the upload. After either, the upload is closed; `discard()` after `commit` or
///    a second `discard()` does nothing, so callers can discard on every error path.
/// 3. Failures throw `BlobStoreError` (full disk or quota, I/O failure), never trap.
///
/// ```swift
/// let upload = try await store.begin()
/// do {
///     for try await chunk in body { try await upload.write(chunk) }
///     try await upload.commit(sha256: hash)
/// } catch {
///     await upload.discard()
///     throw error
/// }
/// ```
public protocol BlobStore: Sendable {
    /// Starts an upload into a temporary place.
    func begin() async throws -> any BlobUpload
    /// The bytes stored under `sha256`, nil when there are none.
    func get(sha256: String) async throws -> [UInt8]?
}

/// One upload in progress (see `BlobStore`).
public protocol BlobUpload: Sendable {
    /// Appends `chunk` to the temporary bytes.
    func write(_ chunk: ByteBuffer) async throws
    /// Makes the bytes durable under `sha256`; closes the upload.
    func commit(sha256: String) async throws
    /// Removes the temporary bytes; closes the upload.
    func discard() async
}

/// Why the blob store failed: the upload route answers 503 `unavailable` for both.
public struct BlobStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }
        /// No space left (ENOSPC) or the disk quota is used up (EDQUOT).
        public static let full = Code(name: "full")
        /// Any other I/O failure (EIO, permissions, a closed upload, ...).
        public static let failure = Code(name: "failure")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
