public import EventSourcing
public import Hummingbird

/// Who a member bearer token belongs to (the members domain answers).
public protocol MemberAuthenticating: Sendable {
    /// The member and session of `token` if it is valid now.
    func authenticate(token: String) -> Principal?
}

/// The member bearer-token check: `Authorization: Bearer <token>`, valid now, of an active
/// member; else 401 `unauthenticated`.
public struct MemberAuth: Sendable {
    let authenticator: any MemberAuthenticating

    public init(_ authenticator: any MemberAuthenticating) { self.authenticator = authenticator }

    public func principal(_ request: Request) throws -> Principal {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            let principal = authenticator.authenticate(token: String(header.dropFirst(7)))
        else { throw APIError.unauthenticated }
        RequestTrace.current?.memberID = principal.memberID
        return principal
    }
}

extension APIError {
    /// 401: no valid member token.
    public static let unauthenticated = APIError(.unauthorized, "unauthenticated", "Send Authorization: Bearer <token> with a valid session token.")
}
