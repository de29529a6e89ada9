public import EventSourcing
public import Members
import HashTreeCollections
import Synchronization

/// The feed commands and queries against a log: the I/O around `FeedDecisions`.
///
/// Each command validates its input, looks up the author's sealing key (the members
/// domain's key store), decides on the state the `FeedsReadModel` shows and appends with
/// the expected versions it shows, deciding again on a conflict. A decision with nothing
/// to do and no idempotency key to store touches no storage. Queries read the model
/// with short closures and open bodies outside its lock.
public final class FeedsService: Sendable {
    public let log: any EventLog
    public let model: LiveProjection<FeedsReadModel>
    public let members: MembersService
    public let review: ReviewMode
    let clock: @Sendable () -> Timestamp
    let views = ViewCounter()
    let search = PostSearchIndex()
    let bodies = PostBodyCache()
    /// Each member's likes and follows, one at a time.
    let socialCommands = KeyedQueue()
    /// The log position the search index was built at (the janitor follows deletions from there).
    let indexedThrough = Mutex<LogPosition>(0)

    public init(
        log: any EventLog, model: LiveProjection<FeedsReadModel>, members: MembersService, review: ReviewMode,
        clock: @escaping @Sendable () -> Timestamp
    ) {
        (self.log, self.model, self.members, self.review, self.clock) = (log, model, members, review, clock)
    }

    /// The member's sealing key (401 when the member has none: deleted meanwhile).
    func seal(for memberID: String) throws(FeedError) -> PersonalDataSeal {
        guard let key = members.keys.key(for: memberID) else { throw .unauthenticated }
        return PersonalDataSeal(memberID: memberID, key: key)
    }

    /// An opener under `memberID`'s key; nil once the member is deleted.
    func opener(for memberID: String) -> PersonalDataSeal? {
        members.keys.key(for: memberID).map { PersonalDataSeal(memberID: memberID, key: $0) }
    }

    /// Whether `memberID` is an active member (followable, listable).
    public func isActiveMember(_ memberID: String) -> Bool {
        members.members.read { model, _ in model.member(memberID)?.status == .active }
    }

    /// Decides on the model as it stands and appends; on a conflict decides again on the
    /// fresher model. `idempotency` turns the answer into the record stored with the events.
    func command<T: Sendable>(
        idempotency: (@Sendable (T) throws -> IdempotencyRecord)?, _ decide: (Timestamp) throws -> Decision<T>
    ) async throws -> CommandResult<T> {
        try await retryingOnConflict {
            let decision = try decide(clock())
            if decision.appends.isEmpty, idempotency == nil { return .done(decision.answer) }
            return try await log.appendCommand(
                AppendRequest(decision.appends, idempotency: try idempotency?(decision.answer)), answer: decision.answer)
        }
    }

    /// `command` on `member`'s `feedsocial-` stream: run after the member's earlier ones
    /// (`KeyedQueue`), so its decision sees their appends and does not conflict with them.
    func socialCommand<T: Sendable>(
        _ member: String, idempotency: (@Sendable (T) throws -> IdempotencyRecord)?, _ decide: (Timestamp) throws -> Decision<T>
    ) async throws -> CommandResult<T> {
        try await socialCommands.run(member) { try await command(idempotency: idempotency, decide) }
    }

    /// `metadata` with the moderator named as the actor when the admin token acts.
    static func stamped(_ metadata: EventMetadata, _ actor: FeedDecisions.Actor) -> EventMetadata {
        guard actor == .admin else { return metadata }
        var stamped = metadata
        stamped.actor = "admin"
        return stamped
    }


    /// Builds the search index from every live post (opened with its author's key) and
    /// notes the position it reflects. Run once at start, after the read model caught up.
    public func start() {
        let (posts, position) = model.read { model, position in (model.posts, position) }
        for (_, post) in posts {
            guard let body = opener(for: post.authorID)?.postBody(post.body, post: post.id) else { continue }
            search.set(post.key, author: post.authorID, text: body.content)
        }
        indexedThrough.withLock { $0 = position }
    }

    /// Indexes a post this process just wrote, unless it is gone again (its author deleted meanwhile).
    func index(_ view: PostView) {
        guard model.read({ model, _ in model.post(view.id) != nil }) else { return }
        search.set(view.key, author: view.authorID, text: view.content)
    }

    /// How many posts the search index holds (for tests and metrics).
    public var indexedPosts: Int { search.count }
}
