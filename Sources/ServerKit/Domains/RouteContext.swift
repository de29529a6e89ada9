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

    public init(
        router: Router<AppRequestContext>, table: RouteTable, commands: CommandRunner, clients: ClientGuard, members: MemberAuth,
        admin: AdminAuth, dev: Bool
    ) {
        (self.router, self.table, self.commands, self.clients, self.members, self.admin, self.dev) =
            (router, table, commands, clients, members, admin, dev)
    }

    /// The log commands append to.
    public var log: any EventLog { commands.log }

    /// Registers `handler` for `method` and `path` (OpenAPI form, `/v1/a/{id}`) with what the
    /// OpenAPI document says about it.
    public func add(
        _ method: HTTPRequest.Method, _ path: String, summary: String, request: JSONValue? = nil,
        responses: [Int: (String, JSONValue?)], handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        table.add(router, method, path, summary: summary, request: request, responses: responses, handler: handler)
    }
}
