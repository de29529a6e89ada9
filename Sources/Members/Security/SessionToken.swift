import Crypto
import Foundation

/// Bearer tokens: 256 random bits, base64url, prefixed `lbk_`. Only their SHA-256 is ever
/// stored (a token has far too much entropy for a fast hash to be guessable).
public enum SessionToken {
    /// API.md: tokens expire after 30 days.
    public static let lifetimeSeconds: Int64 = 30 * 86_400

    public static func make<R: RandomNumberGenerator>(random: inout R) -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &random) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "lbk_" + text
    }

    public static func hash(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Array(token.utf8))) }
}
