import EventSourcing
public import Hummingbird
import Logging
import Members
import Verification

/// Turns every error into API.md's envelope with the right status: domain refusals,
/// Hummingbird's own errors (unknown route, body too large), storage trouble (503).
/// Anything unexpected is logged and answered 500 without details.
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
        } catch let error as VerificationError {
            throw APIError(error)
        } catch let error as MemberError {
            throw APIError(error)
        } catch let error as KeyStoreError {
            // The member key file could not be written: storage, not the client.
            context.logger.error("member key store failed", metadata: ["error": "\(error)"])
            throw APIError(.serviceUnavailable, "unavailable", "Storage cannot accept writes right now; reads go on.")
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
    init(_ error: VerificationError) {
        switch error {
        case .invalid(let field, let reason): self = .validation(field: field, reason)
        case .rateLimited(let seconds):
            self.init(.tooManyRequests, "rate_limited", "Too many codes sent to this destination; retry later.")
            retryAfterSeconds = seconds
        case .notFound: self.init(.notFound, "not_found", "No such verification.")
        case .expired: self.init(.gone, "expired", "The code expired.")
        case .canceled: self.init(.gone, "canceled", "A newer code replaced this one.")
        case .alreadyUsed: self.init(.conflict, "already_used", "The code was already used.")
        case .tooManyAttempts:
            self.init(.tooManyRequests, "too_many_attempts", "Too many wrong codes; send a new one.")
            retryAfterSeconds = 0
        case .notApproved:
            self.init(.badRequest, "verification_required", "The verification key is not approved for this.")
        }
    }

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
