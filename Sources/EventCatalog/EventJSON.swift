public import EventSourcing
import Foundation
import Members
import Verification

/// Events as one JSON object per line, for `logbook dump`: position, stream, version,
/// type, time, metadata and the payload decoded for the types this build knows
/// (others as base64). Secrets are in the log only as hashes or sealed; dumps show the
/// hashes in hex and the size of sealed parts, never their bytes.
public enum EventJSON {
    public static func object(_ event: RecordedEvent) -> [String: Any] {
        var object: [String: Any] = [
            "position": event.position, "stream": event.stream.rawValue, "version": event.version,
            "type": event.type, "time": event.timestamp.rfc3339, "payload": payload(event),
        ]
        let m = event.metadata
        var metadata: [String: Any] = [:]
        if let value = m.correlationID { metadata["correlation_id"] = value }
        if let value = m.causationID { metadata["causation_id"] = value }
        if let value = m.actor { metadata["actor"] = value }
        if let value = m.idempotencyKey { metadata["idempotency_key"] = value }
        if !metadata.isEmpty { object["metadata"] = metadata }
        return object
    }

    public static func line(_ event: RecordedEvent) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object(event), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func payload(_ event: RecordedEvent) -> Any {
        if let decoded = try? VerificationEvent(event) {
            switch decoded {
            case .codeIssued(let e):
                return ["key": e.key.rawValue, "channel": e.channel.rawValue, "to": e.maskedTo, "destination_id": e.destinationID,
                        "operation": e.operation, "code_hash": hex(e.codeHash), "expires_at": e.expiresAt.rfc3339,
                        "sealed_delivery_bytes": e.sealedDelivery.count]
            case .codeChecked(let approved, let attemptsLeft): return ["approved": approved, "attempts_left": attemptsLeft]
            case .codeCanceled(let replacedBy): return ["replaced_by": replacedBy]
            case .codeDestroyed: return [String: Any]()
            case .deliveryRecorded(let delivered, let attempt, let detail):
                return ["delivered": delivered, "attempt": attempt, "detail": detail]
            case .sendRecorded(let key, let operation): return ["key": key, "operation": operation]
            case .codeConsumed(let purpose): return ["purpose": purpose]
            }
        }
        if let decoded = try? CaptchaEvent(event) {
            switch decoded {
            case .issued(let id, let hash, let expiresAt):
                return ["id": id, "answer_hash": hex(hash), "expires_at": expiresAt.rfc3339]
            case .checked(let correct): return ["correct": correct]
            }
        }
        if let json = try? MemberEvent.codec.json(event) { return json.foundationObject }
        if let decoded = try? UploadEvent(event) {
            switch decoded {
            case .storedV1(let sha256, let size, let type): return ["sha256": sha256, "size": size, "content_type": type]
            case .stored(let member, let sha256, let size, let type):
                return ["member_id": member, "sha256": sha256, "size": size, "content_type": type]
            }
        }
        return ["base64": Data(event.payload).base64EncodedString()]
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

extension JSONValue {
    /// The value as Foundation objects (for `JSONSerialization`).
    var foundationObject: Any {
        switch self {
        case .string(let value): value
        case .number(let value): value
        case .double(let value): value
        case .bool(let value): value
        case .null: NSNull()
        case .array(let values): values.map(\.foundationObject)
        case .object(let values): values.mapValues(\.foundationObject)
        }
    }
}
