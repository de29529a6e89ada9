import Foundation
public import Hummingbird

/// An error in API.md's envelope: `{"error": {"code", "message", ...extra}}`.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    /// `field` for validation errors.
    public var field: String?
    /// `attempts_left` for a wrong code.
    public var attemptsLeft: Int?
    /// `retry_after_seconds` (and the `Retry-After` header) for 429s.
    public var retryAfterSeconds: Int64?
    /// The `Allow` header of a 405.
    public var allow: String?
    /// `members` (id and display name) when a phone has several and the client must pick one.
    public var members: [[String: String]]?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func validation(field: String, _ message: String) -> APIError {
        var error = APIError(.badRequest, "validation_failed", message)
        error.field = field
        return error
    }

    public static func invalidJSON(_ message: String = "The body is not valid JSON.") -> APIError {
        APIError(.badRequest, "invalid_json", message)
    }

    public static let notFound = APIError(.notFound, "not_found", "There is nothing here.")

    public struct Body: Encodable {
        struct Inner: Encodable {
            let code: String
            let message: String
            let field: String?
            let attemptsLeft: Int?
            let retryAfterSeconds: Int64?
            let members: [[String: String]]?
            let requestID: String?

            enum CodingKeys: String, CodingKey {
                case code, message, field, members
                case requestID = "request_id"
                case attemptsLeft = "attempts_left"
                case retryAfterSeconds = "retry_after_seconds"
            }
        }
        let error: Inner
    }

    /// The envelope as an encodable value, with the id of the request in flight.
    public var body: Body { body(requestID: RequestTrace.current?.requestID) }

    /// The envelope naming `requestID`.
    public func body(requestID: String?) -> Body {
        Body(error: .init(
            code: code, message: message, field: field, attemptsLeft: attemptsLeft, retryAfterSeconds: retryAfterSeconds,
            members: members, requestID: requestID))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if let allow { headers[.allow] = allow }
        let data = try JSONEncoder.api.encode(body)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
