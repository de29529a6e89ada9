import Crypto
import EventSourcing

/// How logbookd signs a webhook, as Stripe signs its own: the header
/// `Logbook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." ‖ body)>`.
///
/// A receiver recomputes the HMAC over the timestamp, a dot and the raw body bytes, compares
/// it with `v1` in constant time, and rejects a timestamp more than five minutes away from
/// its own clock, so a captured request cannot be replayed later (README: "Verify parity").
///
/// ```swift
/// WebhookSignature.value(secret: Array("whsec-…".utf8), timestamp: 1_795_000_000, body: Array(#"{"to":"…"}"#.utf8))
/// // "t=1795000000,v1=5f0c…"
/// ```
enum WebhookSignature {
    static let headerName = "Logbook-Signature"

    /// The header's value for `body` sent at `timestamp` (seconds since 1970).
    static func value(secret: [UInt8], timestamp: Int64, body: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).".utf8) + body, using: SymmetricKey(data: secret))
        return "t=\(timestamp),v1=" + Array(mac).hexString
    }
}
