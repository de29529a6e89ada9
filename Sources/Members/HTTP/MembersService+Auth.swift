public import ServerKit

/// The members domain answers who a bearer token belongs to, for every domain's routes.
extension MembersService: MemberAuthenticating {}
