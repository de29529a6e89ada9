import EventSourcing
import Feeds
import Foundation
import Groups
import Messaging
import HTTPAPI
import Logging
import ServerKit
import Hummingbird
import HummingbirdTesting
import Members
import Synchronization
import Testing
import Verification

/// A controllable clock: tests move time instead of waiting.
final class TestClock: Sendable {
    private let current = Mutex(Timestamp(millisecondsSince1970: 1_795_000_000_000))
    var now: Timestamp { current.withLock { $0 } }
    func advance(seconds: Int64) { current.withLock { $0 = $0.adding(seconds: seconds) } }
}

/// The whole server (`buildApplication` over every domain, as `logbookd` runs it) on an
/// in-memory log, in dev mode, with a clock the test moves and a manual delivery worker.
struct TestServer: Sendable {
    let log: any EventLog
    let clock = TestClock()
    let uploads: any BlobStore
    let memberKeys: any MemberKeyStore
    let server: LogbookServer
    static let secret = Array(repeating: UInt8(42), count: 32)
    static let secrets = CodeSecrets(secret: secret)

    static let adminToken = "test-admin-token-0123456789"

    init(
        log: any EventLog = InMemoryEventLog(), limits: SendDecision.Limits = .init(), adminToken: String? = adminToken,
        memberKeys: any MemberKeyStore = InMemoryMemberKeyStore(), uploads: any BlobStore = MemoryBlobStore(),
        uploadQuotaBytes: UInt64 = UploadsSetup.defaultQuotaBytes, clients: ClientGuard = ClientGuard(),
        groupMemberLimit: Int = 100_000, feedReview: ReviewMode = .auto, streamQueue: Int = 1024
    ) async throws {
        self.log = log
        self.uploads = uploads
        self.memberKeys = memberKeys
        let clock = self.clock
        let key = SignedCheckpoint.newPrivateKey()
        let domains = LogbookDomains(
            try await DomainContext(storage: log, clock: { clock.now }, secret: Self.secret, dev: true, logger: Logger(label: "test")),
            settings: .init(
                verification: .init(limits: limits),
                members: .init(keys: memberKeys, hasher: PasswordHasher(parameters: .testing, threads: 2)),
                operations: .init(
                    signCheckpoint: { try SignedCheckpoint(head: $0, privateKey: key) },
                    uploads: (uploads, uploadQuotaBytes)),
                groups: .init(memberLimit: groupMemberLimit), feeds: .init(review: feedReview),
                messaging: .init(queueCapacity: streamQueue)))
        var settings = ServerSettings()
        settings.adminToken = adminToken
        settings.clients = clients
        server = try await buildApplication(settings: settings, domains: domains)
    }

    var codes: LiveProjection<VerificationsReadModel> { server.domains.verification.codes }
    var memberModel: LiveProjection<MembersReadModel> { server.domains.members.model }
    var members: MembersService { server.domains.members.service }
    var feeds: FeedsService { server.domains.feeds.service }
    var feedModel: LiveProjection<FeedsReadModel> { server.domains.feeds.model }
    var worker: DeliveryWorker { server.domains.verification.worker }
    var groups: GroupsService { server.domains.groups.service }
    var groupModel: LiveProjection<GroupsReadModel> { server.domains.groups.model }
    var outbox: DevOutbox { server.domains.verification.devOutbox ?? DevOutbox(clock: { Timestamp(millisecondsSince1970: 0) }) }

    /// The routes the server registers (a fresh router per call).
    var routes: RouteTable {
        let fresh = LogbookServer(domains: server.domains, runtime: server.runtime, table: RouteTable(), settings: server.settings)
        _ = fresh.router()
        return fresh.table
    }

    func test(logger: Logger = Logger(label: "test"), _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: server.router(), logger: logger).test(.router, body)
    }
}

/// A decoded JSON response. An error's `request_id` (different for every request) is
/// taken out of `json` into `requestID`, so bodies of two requests compare equal.
struct Reply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let json: [String: Any]
    let requestID: String?

    init(status: HTTPResponse.Status, headers: HTTPFields, json: [String: Any]) {
        (self.status, self.headers) = (status, headers)
        var json = json
        var error = json["error"] as? [String: Any]
        requestID = error?.removeValue(forKey: "request_id") as? String
        if let error { json["error"] = error }
        self.json = json
    }

    var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
    var errorCode: String? { error["code"] as? String }
    subscript(key: String) -> Any? { json[key] }
}

extension TestClientProtocol {
    func call(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = headers
        if json != nil && headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(
            uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }
        ) { response in
            let data = Data(response.body.readableBytesView)
            let object = data.isEmpty ? [:] : (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return Reply(status: response.status, headers: response.headers, json: object)
        }
    }

    /// Sends a code and returns its key.
    func sendCode(to: String = "+8613712345678", operation: String = "register", channel: String = "sms") async throws -> String {
        let reply = try await call(.post, "/v1/verifications", json: #"{"channel":"\#(channel)","to":"\#(to)","operation":"\#(operation)"}"#)
        #expect(reply.status == .created, "send failed: \(reply.json)")
        return reply["key"] as? String ?? ""
    }
}

extension TestServer {
    /// Delivers pending messages and returns the code sent to `to` last.
    func deliveredCode(to: String = "+8613712345678") async -> String? {
        await worker.deliverDue()
        return outbox.messages(to: to).first?.message.code
    }
}

/// Uploads in memory, for tests: committed contents, and how many uploads are still open
/// (begun, neither committed nor discarded), so tests can see that refusals clean up.
final class MemoryBlobStore: BlobStore {
    private let blobs = Mutex<[String: [UInt8]]>([:])
    let open = Mutex(0)

    func begin() async throws -> any BlobUpload {
        open.withLock { $0 += 1 }
        return Upload(store: self)
    }

    func get(sha256: String) async throws -> [UInt8]? { blobs.withLock { $0[sha256] } }
    /// How many contents are committed.
    var count: Int { blobs.withLock { $0.count } }

    final class Upload: BlobUpload {
        let store: MemoryBlobStore
        /// The bytes so far; nil once closed.
        let bytes = Mutex<[UInt8]?>([])

        init(store: MemoryBlobStore) { self.store = store }

        func write(_ chunk: ByteBuffer) async throws {
            try bytes.withLock { bytes in
                guard bytes != nil else { throw BlobStoreError(.failure, "closed") }
                bytes?.append(contentsOf: chunk.readableBytesView)
            }
        }

        func commit(sha256: String) async throws {
            guard let stored = close() else { throw BlobStoreError(.failure, "closed") }
            store.blobs.withLock { blobs in if blobs[sha256] == nil { blobs[sha256] = stored } }
        }

        func discard() async { _ = close() }

        private func close() -> [UInt8]? {
            let taken = bytes.withLock { bytes in defer { bytes = nil }; return bytes }
            if taken != nil { store.open.withLock { $0 -= 1 } }
            return taken
        }
    }
}
