import EventSourcing
public import Hummingbird
import Logging

/// Turns every error into API.md's envelope with the right status: domain refusals (any
/// `APIErrorConvertible`), Hummingbird's own errors (unknown route, body too large),
/// storage trouble (503). Anything unexpected is logged and answered 500 without details.
public struct ErrorEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The routes, to tell 405 (the path exists with other methods) from 404.
    let routes: RouteTable

    public init(routes: RouteTable) { self.routes = routes }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as any APIErrorConvertible {
            let converted = error.apiError
            if converted.status.code >= 500 { context.logger.error("storage failed", metadata: ["error": "\(error)"]) }
            throw converted
        } catch let error as EventLogError {
            throw APIError(error, logger: context.logger)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.methods(matching: request.uri.path)
            guard !allowed.isEmpty else { throw APIError.notFound }
            var methodError = APIError(.methodNotAllowed, "method_not_allowed", "Use \(allowed.map(\.rawValue).joined(separator: ", ")).")
            methodError.allow = allowed.map(\.rawValue).joined(separator: ", ")
            throw methodError
        } catch let error as HTTPError {
            throw APIError(error)
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            throw APIError(HTTPError(error.status))
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(String(describing: type(of: error)))"])
            throw APIError(.internalServerError, "internal", "The server failed; the request may be retried.")
        }
    }
}

extension APIError {
    init(_ error: EventLogError, logger: Logger) {
        switch error.code {
        case .wrongExpectedVersion:
            self.init(.conflict, "conflict", "A concurrent change won; retry the request.")
        case .invalidRequest:
            self.init(.badRequest, "validation_failed", error.message)
        default:
            logger.error("storage cannot accept writes", metadata: ["error": "\(error.code)"])
            self.init(.serviceUnavailable, "unavailable", "Storage cannot accept writes right now; reads go on.")
        }
    }

    init(_ error: HTTPError) {
        switch error.status {
        case .notFound: self = .notFound
        case .methodNotAllowed: self.init(.methodNotAllowed, "method_not_allowed", "This method is not allowed here.")
        case .contentTooLarge: self.init(.contentTooLarge, "payload_too_large", "The body is larger than allowed.")
        case .unsupportedMediaType:
            self.init(.unsupportedMediaType, "unsupported_media_type", "Send application/json.")
        case .badRequest: self.init(.badRequest, "invalid_json", error.body ?? "The request is malformed.")
        default: self.init(error.status, "http_\(error.status.code)", error.body ?? error.status.reasonPhrase)
        }
    }
}
