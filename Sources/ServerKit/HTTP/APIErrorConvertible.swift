/// A domain error that knows its place in API.md's envelope. A domain conforms its errors
/// in its `HTTP/` folder; `ErrorEnvelopeMiddleware` turns any of them into the response.
public protocol APIErrorConvertible: Error {
    var apiError: APIError { get }
}
