import EventSourcing
import ServerKit

/// The bounds `MemberRules` enforces, as JSON Schema keywords for the OpenAPI document.
enum MemberSchemas {
    static let username: JSONValue = ["pattern": "^[A-Za-z0-9_]{3,32}$"]
    static let password: JSONValue = ["minLength": 8, "maxLength": 128, "format": "password"]
    static let displayName = TextRule.name(max: 32).schema("Letters, digits, space, _ and -.")
    static let phone: JSONValue = ["minLength": 1, "maxLength": 32, "description": "E.164, or a Chinese mobile number."]
    static let email: JSONValue = ["format": "email", "maxLength": 254]
    static let key: JSONValue = ["minLength": 1, "maxLength": 128, "description": "A verification key approved for this operation."]
    static let code: JSONValue = ["pattern": "^[0-9]{6}$"]
    static let memberID: JSONValue = ["minLength": 1, "maxLength": 128]
}

extension MemberRoutes.RegisterBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = [
        "username": MemberSchemas.username, "password": MemberSchemas.password, "display_name": MemberSchemas.displayName,
        "phone": MemberSchemas.phone, "phone_verification_key": MemberSchemas.key, "email": MemberSchemas.email,
    ]
}

extension MemberRoutes.PatchBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = [
        "display_name": MemberSchemas.displayName, "gender": ["enum": .array(PersonalData.Gender.allCases.map { .string($0.rawValue) })],
        "avatar_url": ["maxLength": 2048, "description": "Empty (no avatar) or an http(s) URL."],
    ]
}

extension MemberRoutes.PasswordBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = ["password": MemberSchemas.password]
}

extension SessionRoutes.LoginBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = [
        "username": ["minLength": 1, "maxLength": 32], "password": ["maxLength": 128, "format": "password"], "phone": MemberSchemas.phone,
        "verification_key": MemberSchemas.key, "member_id": MemberSchemas.memberID,
    ]
}

extension MemberAccountRoutes.PasswordChangeBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = [
        "current_password": ["maxLength": 128, "format": "password"], "new_password": MemberSchemas.password,
    ]
}

extension MemberAccountRoutes.EmailBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = ["email": MemberSchemas.email]
}

extension MemberAccountRoutes.ConfirmBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = ["verification_key": MemberSchemas.key, "code": MemberSchemas.code]
}

extension MemberAccountRoutes.QuestionBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = [
        "question": TextRule.freeText(min: 1, max: 1_000).schema(), "answer": TextRule.freeText(min: 1, max: 1_000).schema(),
    ]
}

extension PasswordResetRoutes.RequestBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = [
        "username": ["maxLength": 32], "email": MemberSchemas.email, "phone": MemberSchemas.phone,
    ]
}

extension PasswordResetRoutes.ConfirmBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = [
        "verification_key": MemberSchemas.key, "code": MemberSchemas.code, "new_password": MemberSchemas.password,
        "member_id": MemberSchemas.memberID,
    ]
}

extension AdminMemberRoutes.EmailBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = ["email": MemberSchemas.email]
}

extension AdminMemberRoutes.PasswordBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = ["password": MemberSchemas.password]
}

extension AddressRoutes.AddressBody: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = [
        "full_name": TextRule.name(max: 64).schema(), "zip_code": TextRule.name(min: 0, max: 16).schema(),
        "address": TextRule.freeText(min: 1).schema(),
        "phone": ["maxLength": 32, "pattern": "^[0-9+() -]*$", "description": "Optional: digits, spaces, +, -, ( and )."],
        "type": ["enum": .array(PersonalData.Address.Kind.allCases.map { .string($0.rawValue) })],
    ]
}
