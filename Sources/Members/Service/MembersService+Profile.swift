import HashTreeCollections
public import EventSourcing
import Verification

extension MembersService {
    /// `PATCH /v1/members/me` as the client sent it: the fields given change.
    public struct ProfilePatch: Sendable {
        public var displayName: String?
        public var gender: String?
        public var avatarURL: String?
        public init(displayName: String? = nil, gender: String? = nil, avatarURL: String? = nil) {
            (self.displayName, self.gender, self.avatarURL) = (displayName, gender, avatarURL)
        }
    }

    public func updateProfile(
        _ principal: Principal, _ patch: ProfilePatch, metadata: EventMetadata = .none,
        idempotency: (@Sendable (MemberView) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<MemberView> {
        let change = MemberDecisions.ProfileChange(
            displayName: try patch.displayName.map { (raw) throws(MemberError) in try MemberRules.displayName(raw) },
            gender: try patch.gender.map { (raw) throws(MemberError) in try MemberRules.gender(raw) },
            avatarURL: try patch.avatarURL.map { (raw) throws(MemberError) in try MemberRules.avatarURL(raw) })
        let seal = try seal(for: principal.memberID)
        let result: CommandResult<MemberView> = try await command(idempotency: idempotency) { model, now in
            let (member, old) = try requireMember(principal)
            var random = SystemRandomNumberGenerator()
            let decision = try MemberDecisions.changeProfile(
                member, from: old, change, actor: "member", in: model, seal: seal, keys: lookup, now: now, metadata: metadata,
                random: &random)
            return Decision(decision.appends, view(member, decision.answer, updatedAt: now))
        }
        reindex(principal.memberID)
        return result
    }

    /// `GET /v1/members/{id}`: nil when unknown, disabled or deleted.
    public func publicProfile(_ id: String) -> PublicMember? {
        guard let member = activeMember(id), let personal = cache.open(member, keys: keys) else { return nil }
        return PublicMember(member, personal)
    }

    /// The public profiles of `ids`, in their order: nil for the unknown, disabled and
    /// deleted. For lists: one lookup in the read model and one in the cache for the whole
    /// page, and no member state copied for a profile already opened at its version.
    public func publicProfiles(_ ids: [String]) -> [PublicMember?] {
        let versions = members.read { model, _ in
            ids.map { id -> (id: String, version: StreamVersion)? in
                guard let member = model.members[id], member.status == .active else { return nil }
                return (id, member.version)
            }
        }
        var profiles = cache.profiles(versions)
        for index in profiles.indices where profiles[index] == nil && versions[index] != nil {
            profiles[index] = publicProfile(ids[index])
        }
        return profiles
    }

    /// `GET /v1/members?q=`: active members whose username or display name has words
    /// beginning with every word of `query` (any case; Chinese, Japanese and Korean by
    /// character pairs), ordered by username. Looks tokens up in the search index and pages
    /// through its username order; only the page's members are opened.
    public func search(_ query: String, page: Int, pageSize: Int) -> Page<PublicMember> {
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: pageSize)
        let (ids, total) = search.page(query, from: overflow ? Int.max : max(0, start), limit: pageSize)
        return Page(items: publicProfiles(ids).compactMap { $0 }, page: page, pageSize: pageSize, totalRows: total)
    }

    /// `PUT /v1/members/me/security-question`: the answer is hashed like a password
    /// (trimmed and lower-cased first, so a later check forgives case and spaces).
    public func setSecurityQuestion(
        _ principal: Principal, question: String, answer: String, client: String = "", metadata: EventMetadata = .none,
        idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        // API.md: free text with no limit of its own (security questions) takes up to 1,000 characters.
        let question = try MemberRules.freeText(question.trimmingWhitespace, field: "question", max: 1_000, allowEmpty: false)
        let answer = try MemberRules.freeText(answer.trimmingWhitespace.lowercased(), field: "answer", max: 1_000, allowEmpty: false)
        _ = try requireMember(principal)
        let seal = try seal(for: principal.memberID)
        let hash = try await hashPassword(answer, client: client)
        return try await command(idempotency: IdempotencyRecord.constant(idempotency)) { _, now in
            let (member, _) = try requireMember(principal)
            var random = SystemRandomNumberGenerator()
            return try MemberDecisions.setSecurityQuestion(
                member, question: question, answerHash: hash.encoded, seal: seal, now: now, metadata: metadata, random: &random)
        }
    }
}

extension PublicMember {
    init(_ member: MemberState, _ personal: PersonalData) {
        self.init(
            id: member.id, username: member.username, displayName: personal.displayName, gender: personal.gender,
            avatarURL: personal.avatarURL, createdAt: member.createdAt)
    }
}
