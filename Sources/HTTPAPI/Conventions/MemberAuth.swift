public import Hummingbird
public import Members

/// The member bearer-token check: `Authorization: Bearer <token>` from `/v1/members` or
/// `/v1/sessions`, valid now, of an active member; else 401 `unauthenticated`.
public struct MemberAuth: Sendable {
    let service: MembersService

    public init(service: MembersService) { self.service = service }

    public func principal(_ request: Request) throws -> Principal {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            let principal = service.authenticate(token: String(header.dropFirst(7)))
        else { throw APIError.unauthenticated }
        return principal
    }
}
