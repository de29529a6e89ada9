import HTTPTypes
public import ServerKit

/// Stored idempotent answers sealed under the member's own key (`PersonalDataSeal`, part
/// `answer`): deleting the member erases them with the rest of their data.
public struct MemberAnswerSealer: MemberAnswerSealing {
    let keys: any MemberKeyStore

    public init(keys: any MemberKeyStore) { self.keys = keys }

    public func seal(_ body: [UInt8], for memberID: String) throws -> [UInt8] {
        guard let key = keys.key(for: memberID) else { throw AnswerVault.Erased() }
        var random = SystemRandomNumberGenerator()
        return try PersonalDataSeal(memberID: memberID, key: key).seal(body, as: .answer, random: &random).bytes
    }

    public func open(_ sealed: [UInt8], for memberID: String) throws -> [UInt8] {
        guard let key = keys.key(for: memberID),
            case .part(let body)? = PersonalDataSeal(memberID: memberID, key: key).open(SealedPart(bytes: sealed), as: .answer)
        else { throw AnswerVault.Erased() }
        return body
    }
}
