import HashTreeCollections
import EventSourcing

extension MembersReadModel {
    /// Canonical: members, claims, resets and targets sorted by key; the token index is
    /// rebuilt from the members' sessions. Personal data stays sealed.
    public func snapshot() -> [UInt8] {
        var w = BinaryWriter(capacity: 512 * members.count + 64)
        w.write(UInt64(members.count))
        for (_, member) in members.sorted(by: { $0.key < $1.key }) { member.value.write(to: &w) }
        w.write(UInt64(claims.count))
        for (stream, claim) in claims.sorted(by: { $0.key < $1.key }) {
            w.write(stream); w.write(claim.version)
            w.write(UInt64(claim.holders.count)); for holder in claim.holders { w.write(holder) }
        }
        w.write(UInt64(resets.count))
        for (id, reset) in resets.sorted(by: { $0.key < $1.key }) {
            w.write(id); w.write(reset.request.payload)
            w.write(reset.requestedAt); w.write(reset.attemptsLeft); w.write(reset.completed); w.write(reset.canceled)
            w.write(reset.version)
        }
        w.write(UInt64(latestResetByTarget.count))
        for (target, id) in latestResetByTarget.sorted(by: { $0.key < $1.key }) { w.write(target); w.write(id) }
        resetExpiries.write(to: &w)
        return w.bytes
    }

    public init(snapshot: [UInt8]) throws {
        self.init()
        try BinaryReader.read(snapshot) { r in
            for _ in 0..<(try r.readCount()) {
                let member = try MemberState(from: &r)
                members[member.id] = Boxed(member)
                for session in member.sessions.values {
                    tokens[session.tokenHash] = TokenEntry(memberID: member.id, sessionID: session.id)
                }
            }
            for _ in 0..<(try r.readCount()) {
                let stream = try r.readString()
                var claim = ClaimState()
                claim.version = try r.readUInt64()
                for _ in 0..<(try r.readCount()) { claim.holders.append(try r.readString()) }
                claims[stream] = claim
            }
            for _ in 0..<(try r.readCount()) {
                let id = try r.readString()
                var reset = ResetState(request: try ResetRequested(payload: try r.readBytes()), requestedAt: try r.readTimestamp())
                reset.attemptsLeft = try r.readInt(); reset.completed = try r.readBool(); reset.canceled = try r.readBool()
                reset.version = try r.readUInt64()
                resets[id] = reset
            }
            for _ in 0..<(try r.readCount()) { latestResetByTarget[try r.readString()] = try r.readString() }
            resetExpiries = try ExpiryQueue(from: &r)
        }
    }
}

extension MemberState {
    func write(to w: inout BinaryWriter) {
        w.write(id); w.write(username); w.write(passwordHash); w.write(createdAt); w.write(updatedAt); w.write(status.rawValue)
        w.write(profile); w.write(contact); w.write(question)
        w.write(UInt64(addresses.count))
        for slot in addresses { w.write(slot.id); w.write(slot.kind.rawValue); w.write(slot.isDefault); w.write(slot.sealed) }
        w.write(legacyAddressBook)
        w.write(displayNameKey); w.write(phoneKey); w.write(emailKey)
        w.write(emailVerified); w.write(pendingEmailVerification)
        w.write(answerHash != nil); w.write(answerHash ?? [])
        w.write(UInt64(sessions.count))
        for (_, s) in sessions.sorted(by: { $0.key < $1.key }) {
            w.write(s.id); w.write(s.tokenHash); w.write(s.createdAt); w.write(s.expiresAt); w.write(s.method)
        }
        w.write(UInt64(recentFailures.count)); for failure in recentFailures { w.write(failure) }
        w.write(version)
    }

    init(from r: inout BinaryReader) throws {
        let id = try r.readString(), username = try r.readString(), passwordHash = try r.readString()
        let createdAt = try r.readTimestamp(), updatedAt = try r.readTimestamp()
        guard let status = Status(rawValue: try r.readString()) else { throw BinaryReader.Error(description: "bad status") }
        let profile = try r.readSealedPart(), contact = try r.readOptionalSealedPart()
        self.init(
            id: id,
            registered: MemberRegistered(
                username: username, passwordHash: passwordHash, method: "", profile: profile, contact: contact,
                displayNameKey: "", phoneKey: nil),
            at: createdAt)
        self.updatedAt = updatedAt
        self.status = status
        question = try r.readOptionalSealedPart()
        for _ in 0..<(try r.readCount(max: 1_000)) {
            let slotID = try r.readString()
            guard let kind = PersonalData.Address.Kind(rawValue: try r.readString()) else { throw BinaryReader.Error(description: "bad kind") }
            addresses.append(AddressSlot(id: slotID, kind: kind, isDefault: try r.readBool(), sealed: try r.readSealedPart()))
        }
        legacyAddressBook = try r.readOptionalSealedPart()
        displayNameKey = try r.readString(); phoneKey = try r.readOptionalString(); emailKey = try r.readOptionalString()
        emailVerified = try r.readBool()
        pendingEmailVerification = try r.readOptionalString()
        let hasAnswer = try r.readBool()
        let answer = try r.readBytes()
        answerHash = hasAnswer ? answer : nil
        for _ in 0..<(try r.readCount()) {
            let s = SessionState(
                id: try r.readString(), tokenHash: try r.readBytes(), createdAt: try r.readTimestamp(),
                expiresAt: try r.readTimestamp(), method: try r.readString())
            sessions[s.id] = s
        }
        for _ in 0..<(try r.readCount()) { recentFailures.append(try r.readTimestamp()) }
        version = try r.readUInt64()
    }
}
