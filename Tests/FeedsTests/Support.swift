import Crypto
import EventFixtures
import EventSourcing
import Members
import HashTreeCollections
import Testing
@testable import Feeds

let t0 = Timestamp(millisecondsSince1970: 1_795_000_000_000)

/// A member id that is an `EntityID` (`01KB7Y3Q00000000000000` + 4 digits).
func memberID(_ n: Int) -> String {
    let digits = String(n)
    return "01KB7Y3Q" + String(repeating: "0", count: 18 - digits.count) + digits
}

func seal(for member: String) -> PersonalDataSeal {
    PersonalDataSeal(memberID: member, key: SymmetricKey(data: Array(repeating: UInt8(member.utf8.last ?? 1), count: 32)))
}

/// The refusal `body` threw, if it was a `FeedError`.
func refusal(_ body: () throws -> Void) -> FeedError? {
    do {
        try body()
        return nil
    } catch let error as FeedError {
        return error
    } catch {
        return nil
    }
}

/// A feeds read model fed the way the log would feed it, without a log: each append gets
/// the next position and its stream's next version.
struct FeedLog {
    var model: FeedsReadModel
    var position: LogPosition = 0
    var versions: [StreamID: StreamVersion] = [:]
    var recorded: [RecordedEvent] = []
    var random = SplitMix64(seed: 7)

    init(timelineWindow: Int = FeedsReadModel.defaultTimelineWindow) { model = FeedsReadModel(timelineWindow: timelineWindow) }

    mutating func append(type: String, payload: [UInt8], on stream: StreamID, at time: Timestamp) {
        position += 1
        let version = (versions[stream] ?? 0) + 1
        versions[stream] = version
        let event = RecordedEvent(
            position: position, stream: stream, version: version, type: type, payload: payload, timestamp: time, metadata: .none)
        recorded.append(event)
        do { try model.apply(event) } catch { Issue.record(error, "apply \(type)") }
    }

    mutating func append(_ event: FeedEvent, on stream: StreamID, at time: Timestamp) {
        let new = event.newEvent(at: time)
        append(type: new.type, payload: new.payload, on: stream, at: time)
    }

    /// Appends what a decision decided.
    mutating func apply<T>(_ decision: Decision<T>) {
        for append in decision.appends {
            for event in append.events { self.append(type: event.type, payload: event.payload, on: append.stream, at: event.timestamp) }
        }
    }

    /// Writes a post by `author` at `time` and returns its id.
    @discardableResult
    mutating func post(by author: String, _ text: String = "hello", at time: Timestamp, status: ReviewStatus = .approved) -> String {
        let id = EntityID.make(now: time, random: &random)
        let body = (try? seal(for: author).seal(PostBody(content: text, resources: []), post: id.rawValue, random: &random)) ?? SealedPart(bytes: [])
        append(.postCreated(PostCreated(authorID: author, kind: .text, body: body, status: status)), on: FeedStreams.post(id), at: time)
        return id.rawValue
    }

    mutating func social(_ member: String, _ event: FeedEvent, at time: Timestamp) {
        guard let stream = FeedStreams.social(member) else { return }
        append(event, on: stream, at: time)
    }

    mutating func follow(_ member: String, _ target: String, at time: Timestamp) { social(member, .followed(MemberFollowed(memberID: target)), at: time) }
    mutating func unfollow(_ member: String, _ target: String, at time: Timestamp) { social(member, .unfollowed(MemberUnfollowed(memberID: target)), at: time) }
    mutating func like(_ member: String, _ post: String, at time: Timestamp) { social(member, .liked(PostLiked(postID: post)), at: time) }

    mutating func delete(_ post: String, at time: Timestamp) {
        guard let id = EntityID(post) else { return }
        append(.postDeleted(PostDeleted(actor: "author")), on: FeedStreams.post(id), at: time)
    }

    mutating func review(_ post: String, _ status: ReviewStatus, at time: Timestamp) {
        guard let id = EntityID(post) else { return }
        append(.postReviewed(PostReviewed(status: status, remark: nil, actor: "admin")), on: FeedStreams.post(id), at: time)
    }

    @discardableResult
    mutating func comment(by author: String, on post: String, at time: Timestamp) -> String {
        let id = EntityID.make(now: time, random: &random)
        append(.commentAdded(CommentAdded(postID: post, authorID: author, content: SealedPart(bytes: [2, 9]))), on: FeedStreams.comment(id), at: time)
        return id.rawValue
    }

    mutating func deleteMember(_ member: String, at time: Timestamp) {
        guard let stream = StreamID("member-\(member)") else { return }
        append(type: MemberDeleted.type, payload: MemberDeleted(actor: "member").payload, on: stream, at: time)
    }

    /// A model rebuilt from every event recorded so far.
    func rebuilt() throws -> FeedsReadModel {
        var model = FeedsReadModel(timelineWindow: self.model.timelineWindow)
        for event in recorded { try model.apply(event) }
        return model
    }
}
