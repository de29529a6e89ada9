import Foundation
import HTTPTypes
public import NIOCore
import NIOHTTP1
public import NIOHTTPTypes

/// Gives API.md's error envelope to the answer for a request the HTTP parser refused (a
/// request line or headers over `--max-header-bytes`, a garbled request line). Hummingbird
/// answers those itself, before any middleware, with a bare `400` (`Content-Length: 0`,
/// `Connection: close`); this channel handler (one per connection, after the HTTP codec)
/// notes the parser error on its way in and puts the envelope into that `400` on its way out.
public final class ParseErrorEnvelopeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart
    public typealias OutboundIn = HTTPResponsePart
    public typealias OutboundOut = HTTPResponsePart

    private var parserFailed = false
    private var pendingBody: ByteBuffer?

    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError { parserFailed = true }
        context.fireErrorCaught(error)
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard parserFailed else { return context.write(data, promise: promise) }
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status == .badRequest && head.headerFields[.contentLength] == "0":
            let error = APIError(.badRequest, "malformed_request", "The request line or headers are malformed or larger than the server accepts.")
            let requestID = "parse-" + UInt64.random(in: 0...UInt64.max).hexPadded
            let body = ByteBuffer(bytes: (try? JSONEncoder.api.encode(error.body(requestID: requestID))) ?? Data())
            head.headerFields[.contentType] = "application/json; charset=utf-8"
            head.headerFields[.xRequestID] = requestID
            head.headerFields[.contentLength] = String(body.readableBytes)
            pendingBody = body
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end(let trailers):
            if let pendingBody { context.write(wrapOutboundOut(.body(pendingBody)), promise: nil) }
            pendingBody = nil
            context.write(wrapOutboundOut(.end(trailers)), promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }
}

extension UInt64 {
    /// Sixteen lowercase hex digits.
    fileprivate var hexPadded: String {
        let digits = String(self, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
