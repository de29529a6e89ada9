public import EventSourcing
public import Hummingbird

/// What a domain's routes are added with: the router and its OpenAPI table, how commands
/// run, the per-client limits, and the member and admin token checks.
public struct RouteContext {
    public let router: Router<AppRequestContext>
    public let table: RouteTable
    public let commands: CommandRunner
    public let clients: ClientGuard
    public let members: MemberAuth
    public let admin: AdminAuth
    /// Dev mode (`--dev`): dev-only routes are added.
    public let dev: Bool
    /// The domain adding routes (their OpenAPI tag).
    public private(set) var tag = "operations"

    public init(
        router: Router<AppRequestContext>, table: RouteTable, commands: CommandRunner, clients: ClientGuard, members: MemberAuth,
        admin: AdminAuth, dev: Bool
    ) {
        (self.router, self.table, self.commands, self.clients, self.members, self.admin, self.dev) =
            (router, table, commands, clients, members, admin, dev)
    }

    /// The same context for `domain`'s routes.
    public func tagged(_ domain: String) -> RouteContext {
        var copy = self
        copy.tag = domain
        return copy
    }

    /// The log commands append to.
    public var log: any EventLog { commands.log }

    /// Registers `handler` for `method` and `path` (OpenAPI form, `/v1/a/{id}`) with what the
    /// OpenAPI document says about it.
    /// Security is inferred unless given: `/v1/admin/*` takes the admin token, a route that
    /// declares a 401 a member's token.
    public func add(
        _ method: HTTPRequest.Method, _ path: String, summary: String, request: JSONValue? = nil,
        responses: [Int: (String, JSONValue?)], query: [QueryParameter] = [], security: RouteSecurity? = nil,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        table.add(
            router, method, path, summary: summary, request: request, responses: responses, query: query, security: security, tag: tag,
            handler: handler)
    }
}
