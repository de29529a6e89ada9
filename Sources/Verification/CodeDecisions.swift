public import EventSourcing

/// Decisions on one code's stream: check, destroy, record a delivery outcome.
public enum CodeDecisions {
    /// A check of `code` against `state` at `now`. A wrong code is recorded (and the caller
    /// answers 422 with the attempts left); refusals that change nothing throw.
    public static func check(
        code: String, state: CodeState?, secrets: CodeSecrets, now: Timestamp
    ) throws -> VerificationEvent {
        guard let state, !state.destroyed else { throw VerificationError.notFound }
        switch state.status(at: now) {
        case .approved: throw VerificationError.alreadyUsed
        case .canceled: throw VerificationError.canceled
        case .maxAttemptsReached: throw VerificationError.tooManyAttempts
        case .expired: throw VerificationError.expired
        case .pending: break
        }
        guard code.utf8.count == 6, code.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw VerificationError.invalid(field: "code", reason: "code must be 6 digits")
        }
        if secrets.matches(key: state.issued.key.rawValue, code: code, stored: state.issued.codeHash) {
            return .codeChecked(CodeChecked(approved: true, attemptsLeft: state.attemptsLeft))
        }
        return .codeChecked(CodeChecked(approved: false, attemptsLeft: state.attemptsLeft - 1))
    }

    /// Destroying a code; unknown or already destroyed codes are not found.
    public static func destroy(state: CodeState?) throws -> VerificationEvent {
        guard let state, !state.destroyed else { throw VerificationError.notFound }
        return .codeDestroyed(CodeDestroyed())
    }
}

/// Stream names of this domain.
public enum Streams {
    public static func code(_ key: EntityID) -> StreamID { StreamID(.verification, key) }
    /// The stream of a destination id (a keyed hash the server computed).
    public static func destination(_ id: String) throws(VerificationError) -> StreamID {
        guard let stream = StreamID(.destination, key: id) else { throw .invalid(field: "to", reason: "to is not a valid destination") }
        return stream
    }
}

extension StreamCategory {
    /// `verification-<key>`: one code's life.
    public static let verification = StreamCategory("verification")
    /// `destination-<HMAC>`: the sends to one address (the rate limits).
    public static let destination = StreamCategory("destination")
    /// `captcha-<id>`: one image captcha.
    public static let captcha = StreamCategory("captcha")
}
