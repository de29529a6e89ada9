import EventSourcing
import ServerKit

// The bounds `SendDecision` and the code checks enforce, in the OpenAPI document.

extension VerificationRoutes.SendBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = [
        "channel": ["enum": ["sms", "email", "call"]],
        "to": ["minLength": 1, "maxLength": 320, "description": "An E.164 (or Chinese mobile) number for sms and call, an email address for email."],
        "operation": ["pattern": "^[a-z0-9_]{1,32}$", "description": "What the code is for (register, login, reset_password, ...)."],
        "ttl_seconds": ["minimum": .count(SendDecision.ttlRange.lowerBound), "maximum": .count(SendDecision.ttlRange.upperBound)],
    ]
}

extension VerificationRoutes.CheckBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = ["code": ["pattern": "^[0-9]{6}$"]]
}

extension CaptchaRoutes.CheckBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = ["answer": ["minLength": 1, "maxLength": 16]]
}
