import EventSourcing
import Hummingbird
import ServerKit

/// Who is asking, and where a cursor list starts, as the feed routes read them.
struct FeedCallers: Sendable {
    let members: MemberAuth
    let admin: AdminAuth

    /// The member reading (nil without a token, or with the admin token); 401 for a bad token.
    func viewer(_ request: Request) throws -> String? {
        guard request.headers[.authorization] != nil else { return nil }
        if isAdmin(request) { return nil }
        return try members.principal(request).memberID
    }

    /// The member (by token) or the moderator (admin token) acting; 401 for neither.
    func actor(_ request: Request) throws -> FeedDecisions.Actor {
        if isAdmin(request) { return .admin }
        return .member(try members.principal(request).memberID)
    }

    func isAdmin(_ request: Request) -> Bool { (try? admin.require(request)) != nil }
}

/// `?cursor=&limit=` with the cursor read as a post key (400 naming `cursor` otherwise).
struct FeedCursor {
    var key: PostKey?
    var limit: Int

    init(_ request: Request) throws {
        let paging = try CursorRequest(request)
        limit = paging.limit
        if let cursor = paging.cursor {
            guard let key = PostKey(cursor: cursor) else { throw APIError.validation(field: "cursor", "cursor is not one this list gave.") }
            self.key = key
        }
    }
}

extension Request {
    /// `review_status` (nil when absent or empty; 400 for anything but pending, approved, rejected).
    func reviewStatus() throws -> ReviewStatus? {
        try FeedRules.statusFilter(uri.queryParameters.get("review_status").map { String($0) })
    }
}

/// The feed routes' own query parameters, for the OpenAPI document.
enum FeedQuery {
    static let reviewStatus = QueryParameter(
        "review_status", schema: ["type": "string", "enum": .array(ReviewStatus.allCases.map { .string($0.rawValue) })],
        required: false, description: "Only posts in this review state.")
}

extension StoredResponse {
    /// A JSON answer of bytes written by `FeedJSON`.
    init(status: HTTPResponse.Status, json: [UInt8]) { self.init(status: status.code, body: json) }
}
