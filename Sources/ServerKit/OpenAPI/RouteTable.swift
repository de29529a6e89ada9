public import EventSourcing
public import Hummingbird
import Synchronization

/// Every route the server registers, with what the OpenAPI document says about it.
/// Routes are added through `add`, which registers them on the router too, so the
/// document cannot describe a route that does not exist or miss one that does.
public final class RouteTable: Sendable {
    public struct Route: Sendable, Hashable {
        public var method: HTTPRequest.Method
        /// The path in OpenAPI form: `/v1/verifications/{key}`.
        public var path: String
        public var summary: String
        public var requestSchema: JSONValue?
        /// Status code -> (description, schema).
        public var responses: [Int: Response]
        /// The query parameters it reads.
        public var query: [QueryParameter] = []
        /// Who may call it.
        public var security: RouteSecurity = .none
        /// The domain that added it (its OpenAPI tag).
        public var tag: String = "operations"

        public struct Response: Sendable, Hashable {
            public var description: String
            public var schema: JSONValue?
        }
    }

    private let storage = Mutex<[Route]>([])

    public init() {}

    public var routes: [Route] { storage.withLock { $0 } }

    /// The methods registered for paths matching `path` (`{name}` matches one segment).
    public func methods(matching path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return routes.filter { route in
            let template = route.path.split(separator: "/", omittingEmptySubsequences: false)
            return template.count == segments.count
                && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.map(\.method)
    }

    /// Registers `handler` on `router` and records the route.
    public func add<Context: RequestContext>(
        _ router: Router<Context>, _ method: HTTPRequest.Method, _ path: String, summary: String,
        request: JSONValue? = nil, responses: [Int: (String, JSONValue?)], query: [QueryParameter] = [],
        security: RouteSecurity? = nil, tag: String = "operations",
        handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) {
        // `/a/{key}` in OpenAPI form is `/a/:key` for Hummingbird.
        let hummingbirdPath = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") && $0.hasSuffix("}") ? ":" + $0.dropFirst().dropLast() : String($0) }
            .joined(separator: "/")
        router.on(RouterPath(hummingbirdPath), method: method, use: handler)
        var route = Route(
            method: method, path: path, summary: summary, requestSchema: request,
            responses: responses.mapValues { Route.Response(description: $0.0, schema: $0.1) })
        route.query = query
        route.tag = tag
        // Unless told: admin paths take the admin token, routes that answer 401 a member's.
        route.security = security ?? (path.hasPrefix("/v1/admin/") ? .admin : responses[401] != nil ? .member : .none)
        storage.withLock { $0.append(route) }
    }
}
