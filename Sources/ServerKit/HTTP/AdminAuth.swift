public import Hummingbird
import Crypto
import EventSourcing

/// The admin token check of `/v1/admin/*` (API.md: the token the server was started with).
public struct AdminAuth: Sendable {
    /// nil: the server has no admin token, and admin routes answer 403.
    let token: String?

    public init(token: String?) { self.token = token }

    /// Throws 401 without a bearer token or with a wrong one, 403 when admin routes are off.
    public func require(_ request: Request) throws {
        guard let token else {
            throw APIError(.forbidden, "forbidden", "Admin routes are off: start the server with --admin-token.")
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(.unauthorized, "unauthenticated", "Send Authorization: Bearer <admin token>.")
        }
        // Hashes of equal length, so neither the token's length nor where it differs shows.
        guard ConstantTime.equal(Array(SHA256.hash(data: Array(header.dropFirst(7).utf8))), Array(SHA256.hash(data: Array(token.utf8))))
        else {
            throw APIError(.unauthorized, "unauthenticated", "The admin token is not right.")
        }
    }
}
