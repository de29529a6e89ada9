import EventSourcing
import Verification

extension MembersReadModel {
    /// Canonical: members, claims and resets sorted by key; the token index is rebuilt
    /// from the members' sessions. Personal data stays sealed.
    public func snapshot() -> [UInt8] {
        var w = BinaryWriter(capacity: 256 * members.count + 64)
        w.write(UInt64(members.count))
        for id in members.keys.sorted() { members[id]!.write(to: &w) }
        w.write(UInt64(claims.count))
        for stream in claims.keys.sorted() {
            let claim = claims[stream]!
            w.write(stream); w.write(claim.version)
            w.write(UInt64(claim.holders.count)); for holder in claim.holders { w.write(holder) }
        }
        w.write(UInt64(resets.count))
        for id in resets.keys.sorted() {
            let reset = resets[id]!
            w.write(id); w.write(MemberEvent.resetRequested(reset.request).payload)
            w.write(reset.requestedAt); w.write(reset.attemptsLeft); w.write(reset.completed); w.write(reset.version)
        }
        resetExpiries.write(to: &w)
        return w.bytes
    }

    public init(snapshot: [UInt8]) throws {
        self.init()
        try BinaryReader.read(snapshot) { r in
            for _ in 0..<(try r.readUInt64()) {
                let member = try MemberState(from: &r)
                members[member.id] = member
                for session in member.sessions.values {
                    tokens[session.tokenHash] = TokenEntry(memberID: member.id, sessionID: session.id)
                }
            }
            for _ in 0..<(try r.readUInt64()) {
                let stream = try r.readString()
                var claim = ClaimState()
                claim.version = try r.readUInt64()
                for _ in 0..<(try r.readUInt64()) { claim.holders.append(try r.readString()) }
                claims[stream] = claim
            }
            for _ in 0..<(try r.readUInt64()) {
                let id = try r.readString()
                let probe = RecordedEvent(
                    position: 0, stream: "passwordreset-x", version: 1, type: "member.password-reset-requested.v1",
                    payload: try r.readBytes(), timestamp: Timestamp(millisecondsSince1970: 0), metadata: .none)
                guard case .resetRequested(let request)? = try MemberEvent(probe) else {
                    throw BinaryReader.Error(description: "bad reset in snapshot")
                }
                var reset = ResetState(request: request, requestedAt: try r.readTimestamp())
                reset.attemptsLeft = try r.readInt(); reset.completed = try r.readBool(); reset.version = try r.readUInt64()
                resets[id] = reset
            }
            resetExpiries = try ExpiryQueue(from: &r)
        }
    }
}

extension MemberState {
    func write(to w: inout BinaryWriter) {
        w.write(id); w.write(username); w.write(passwordHash); w.write(createdAt); w.write(updatedAt)
        w.write(status.rawValue); personal.write(to: &w); w.write(emailVerified); w.write(pendingEmailVerification)
        w.write(answerHash != nil); w.write(answerHash ?? [])
        w.write(UInt64(sessions.count))
        for sessionID in sessions.keys.sorted() {
            let s = sessions[sessionID]!
            w.write(s.id); w.write(s.tokenHash); w.write(s.createdAt); w.write(s.expiresAt); w.write(s.method)
        }
        w.write(UInt64(recentFailures.count)); for failure in recentFailures { w.write(failure) }
        w.write(version)
    }

    init(from r: inout BinaryReader) throws {
        let id = try r.readString(), username = try r.readString(), passwordHash = try r.readString()
        let createdAt = try r.readTimestamp(), updatedAt = try r.readTimestamp()
        guard let status = Status(rawValue: try r.readString()) else { throw BinaryReader.Error(description: "bad status") }
        let personal = try MemberEvent.PersonalUpdate(from: &r)
        self.init(
            id: id, registered: .init(username: username, passwordHash: passwordHash, personal: personal, method: ""),
            at: createdAt)
        self.updatedAt = updatedAt
        self.status = status
        emailVerified = try r.readBool()
        pendingEmailVerification = try r.readOptionalString()
        let hasAnswer = try r.readBool()
        let answer = try r.readBytes()
        answerHash = hasAnswer ? answer : nil
        for _ in 0..<(try r.readUInt64()) {
            let s = SessionState(
                id: try r.readString(), tokenHash: try r.readBytes(), createdAt: try r.readTimestamp(),
                expiresAt: try r.readTimestamp(), method: try r.readString())
            sessions[s.id] = s
        }
        for _ in 0..<(try r.readUInt64()) { recentFailures.append(try r.readTimestamp()) }
        version = try r.readUInt64()
    }
}
