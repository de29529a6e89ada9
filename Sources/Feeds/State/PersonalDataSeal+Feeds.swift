public import Members

extension PersonalDataSeal {
    /// A post's body sealed as part `post:<id>`.
    public func seal<R: RandomNumberGenerator>(_ body: PostBody, post id: String, random: inout R) throws -> SealedPart {
        try seal(body.encoded, as: .post(id: id), random: &random)
    }

    /// The post's body; nil when the key does not open it (erased, tampered, another post).
    public func postBody(_ sealed: SealedPart, post id: String) -> PostBody? {
        guard case .part(let bytes) = open(sealed, as: .post(id: id)) else { return nil }
        return try? PostBody(encoded: bytes)
    }

    /// A comment's text sealed as part `comment:<id>`.
    public func seal<R: RandomNumberGenerator>(comment text: String, id: String, random: inout R) throws -> SealedPart {
        try seal(Array(text.utf8), as: .comment(id: id), random: &random)
    }

    public func comment(_ sealed: SealedPart, id: String) -> String? {
        guard case .part(let bytes) = open(sealed, as: .comment(id: id)) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// A moderator's remark on post `id`, sealed under the post author's key.
    public func seal<R: RandomNumberGenerator>(remark: String, post id: String, random: inout R) throws -> SealedPart {
        try seal(Array(remark.utf8), as: .review(id: id), random: &random)
    }

    public func remark(_ sealed: SealedPart, post id: String) -> String? {
        guard case .part(let bytes) = open(sealed, as: .review(id: id)) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
