/// Who issued a command with a member token: the member and the session the token opened.
public struct Principal: Hashable, Sendable {
    public var memberID: String
    public var sessionID: String

    public init(memberID: String, sessionID: String) {
        self.memberID = memberID
        self.sessionID = sessionID
    }
}
