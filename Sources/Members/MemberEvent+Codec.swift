public import EventSourcing

extension MemberEvent {
    /// The payload bytes (field order fixed per type string).
    public var payload: [UInt8] {
        var w = BinaryWriter()
        switch self {
        case .registered(let e):
            w.write(e.username); w.write(e.passwordHash); e.personal.write(to: &w); w.write(e.method)
        case .profileUpdated(let update, let actor), .emailBound(let update, let actor):
            update.write(to: &w); w.write(actor)
        case .emailBindingRequested(let update, let key):
            update.write(to: &w); w.write(key)
        case .securityQuestionSet(let update, let answerHash):
            update.write(to: &w); w.write(answerHash)
        case .addressesChanged(let update):
            update.write(to: &w)
        case .passwordChanged(let hash, let reason, let actor):
            w.write(hash); w.write(reason); w.write(actor)
        case .sessionStarted(let s):
            w.write(s.id); w.write(s.tokenHash); w.write(s.expiresAt); w.write(s.method)
        case .sessionsEnded(let ids, let reason):
            w.write(UInt64(ids.count)); for id in ids { w.write(id) }
            w.write(reason)
        case .loginFailed:
            break
        case .disabled(let actor), .deleted(let actor):
            w.write(actor)
        case .claimTaken(let id), .claimReleased(let id), .resetCompleted(let id):
            w.write(id)
        case .resetRequested(let r):
            w.write(r.verificationKey); w.write(UInt64(r.memberIDs.count)); for id in r.memberIDs { w.write(id) }
            w.write(r.expiresAt)
        case .resetCheckFailed(let left):
            w.write(left)
        }
        return w.bytes
    }

    /// Decodes a recorded event; nil for types of other domains.
    public init?(_ event: RecordedEvent) throws {
        guard event.type.hasPrefix("member.") else { return nil }
        let decoded: MemberEvent? = try BinaryReader.read(event.payload) { r in
            switch event.type {
            case "member.registered.v1":
                return .registered(Registered(
                    username: try r.readString(), passwordHash: try r.readString(), personal: try PersonalUpdate(from: &r),
                    method: try r.readString()))
            case "member.profile-updated.v1":
                return .profileUpdated(try PersonalUpdate(from: &r), actor: try r.readString())
            case "member.email-binding-requested.v1":
                return .emailBindingRequested(try PersonalUpdate(from: &r), verificationKey: try r.readString())
            case "member.email-bound.v1":
                return .emailBound(try PersonalUpdate(from: &r), actor: try r.readString())
            case "member.security-question-set.v1":
                return .securityQuestionSet(try PersonalUpdate(from: &r), answerHash: try r.readBytes())
            case "member.addresses-changed.v1":
                return .addressesChanged(try PersonalUpdate(from: &r))
            case "member.password-changed.v1":
                return .passwordChanged(hash: try r.readString(), reason: try r.readString(), actor: try r.readString())
            case "member.session-started.v1":
                return .sessionStarted(Session(
                    id: try r.readString(), tokenHash: try r.readBytes(), expiresAt: try r.readTimestamp(),
                    method: try r.readString()))
            case "member.sessions-ended.v1":
                var ids: [String] = []
                for _ in 0..<(try r.readUInt64()) { ids.append(try r.readString()) }
                return .sessionsEnded(ids: ids, reason: try r.readString())
            case "member.login-failed.v1": return .loginFailed
            case "member.disabled.v1": return .disabled(actor: try r.readString())
            case "member.deleted.v1": return .deleted(actor: try r.readString())
            case "member.claim-taken.v1": return .claimTaken(memberID: try r.readString())
            case "member.claim-released.v1": return .claimReleased(memberID: try r.readString())
            case "member.password-reset-requested.v1":
                let key = try r.readOptionalString()
                var ids: [String] = []
                for _ in 0..<(try r.readUInt64()) { ids.append(try r.readString()) }
                return .resetRequested(ResetRequest(verificationKey: key, memberIDs: ids, expiresAt: try r.readTimestamp()))
            case "member.password-reset-check-failed.v1": return .resetCheckFailed(attemptsLeft: try r.readInt())
            case "member.password-reset-completed.v1": return .resetCompleted(memberID: try r.readString())
            default: return nil
            }
        }
        guard let decoded else { return nil }
        self = decoded
    }
}

extension MemberEvent.PersonalUpdate {
    func write(to w: inout BinaryWriter) {
        w.write(sealed); w.write(displayNameKey); w.write(phoneKey); w.write(emailKey)
    }

    init(from r: inout BinaryReader) throws {
        self.init(
            sealed: try r.readBytes(), displayNameKey: try r.readString(), phoneKey: try r.readOptionalString(),
            emailKey: try r.readOptionalString())
    }
}
