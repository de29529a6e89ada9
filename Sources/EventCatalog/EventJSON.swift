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
        if let decoded = try? MemberEvent(event) { return member(decoded) }
        if let decoded = try? UploadEvent(event) {
            switch decoded {
            case .storedV1(let sha256, let size, let type): return ["sha256": sha256, "size": size, "content_type": type]
            case .stored(let member, let sha256, let size, let type):
                return ["member_id": member, "sha256": sha256, "size": size, "content_type": type]
            }
        }
        return ["base64": Data(event.payload).base64EncodedString()]
    }

    /// Member events: hashes in hex, sealed personal data by size only.
    static func member(_ event: MemberEvent) -> [String: Any] {
        func personal(_ u: MemberEvent.PersonalUpdate) -> [String: Any] {
            var object: [String: Any] = ["sealed_personal_bytes": u.sealed.count, "display_name_key": u.displayNameKey]
            if let key = u.phoneKey { object["phone_key"] = key }
            if let key = u.emailKey { object["email_key"] = key }
            return object
        }
        switch event {
        case .registered(let e):
            return ["username": e.username, "password_hash": e.passwordHash, "method": e.method, "personal": personal(e.personal)]
        case .profileUpdated(let u, let actor), .emailBound(let u, let actor): return ["personal": personal(u), "actor": actor]
        case .emailBindingRequested(let u, let key): return ["personal": personal(u), "verification_key": key]
        case .securityQuestionSet(let u, let hash): return ["personal": personal(u), "answer_hash": String(decoding: hash, as: UTF8.self)]
        case .addressesChanged(let u): return ["personal": personal(u)]
        case .passwordChanged(let hash, let reason, let actor): return ["password_hash": hash, "reason": reason, "actor": actor]
        case .sessionStarted(let s):
            return ["session_id": s.id, "token_hash": hex(s.tokenHash), "expires_at": s.expiresAt.rfc3339, "method": s.method]
        case .sessionsEnded(let ids, let reason): return ["session_ids": ids, "reason": reason]
        case .loginFailed: return [:]
        case .disabled(let actor), .deleted(let actor): return ["actor": actor]
        case .claimTaken(let id), .claimReleased(let id), .resetCompleted(let id): return ["member_id": id]
        case .resetRequested(let r):
            var object: [String: Any] = ["member_ids": r.memberIDs, "expires_at": r.expiresAt.rfc3339]
            if let key = r.verificationKey { object["verification_key"] = key }
            return object
        case .resetCheckFailed(let left): return ["attempts_left": left]
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
