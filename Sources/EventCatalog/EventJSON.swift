public import EventSourcing
import Foundation
import Members
import Verification

/// Every domain's events, for `logbook dump` and the admin routes: one registry of the
/// domains' codecs.
public enum EventJSON {
    public static let registry = EventRegistry([
        VerificationEvent.codec, CaptchaEvent.codec, MemberEvent.codec, UploadEvent.codec,
    ])

    public static func object(_ event: RecordedEvent) -> JSONValue { registry.json(event) }

    public static func line(_ event: RecordedEvent) -> String {
        let data = (try? JSONEncoder.sorted.encode(registry.json(event))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

extension JSONEncoder {
    /// Stable key order, no escaped slashes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
