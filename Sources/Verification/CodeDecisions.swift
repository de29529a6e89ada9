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
        if secrets.matches(key: state.issued.key, code: code, stored: state.issued.codeHash) {
            return .codeChecked(approved: true, attemptsLeft: state.attemptsLeft)
        }
        return .codeChecked(approved: false, attemptsLeft: state.attemptsLeft - 1)
    }

    /// Destroying a code; unknown or already destroyed codes are not found.
    public static func destroy(state: CodeState?) throws -> VerificationEvent {
        guard let state, !state.destroyed else { throw VerificationError.notFound }
        return .codeDestroyed
    }
}

/// Stream names of this domain.
public enum Streams {
    public static func code(_ key: String) -> StreamID { StreamID(category: "verification", id: key) }
    public static func destination(_ id: String) -> StreamID { StreamID(category: "destination", id: id) }
}

/// Verification keys: 26 characters of Crockford base32, time-ordered (like a ULID), so
/// new streams land at the end of the stream index. 80 random bits make them unguessable.
public enum VerificationKey {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    public static func make<R: RandomNumberGenerator>(now: Timestamp, random: inout R) -> String {
        var out = [UInt8](repeating: 0, count: 26)
        var time = UInt64(max(0, now.millisecondsSince1970))
        for index in stride(from: 9, through: 0, by: -1) {
            out[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        var bits = random.next()
        var extra = random.next()
        for index in 10..<26 {
            out[index] = alphabet[Int(bits & 31)]
            bits = bits >> 5 | (extra & 31) << 59
            extra >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `key` has the shape of a key (checked before any lookup).
    public static func isWellFormed(_ key: String) -> Bool {
        key.utf8.count == 26 && key.utf8.allSatisfy { alphabet.contains($0) }
    }
}
