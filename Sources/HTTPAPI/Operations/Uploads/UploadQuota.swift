import ServerKit
import EventSourcing
import HTTPTypes

/// The per-member upload quota: decides on `UploadsReadModel` whether a received
/// content counts, commits its bytes, and appends `upload.stored.v2` to the member's
/// `uploads-<member id>` stream at the version the model showed, so two concurrent
/// uploads by one member cannot both pass the quota (the loser decides again).
struct UploadQuota: Sendable {
    let log: any EventLog
    let usage: LiveProjection<UploadsReadModel>
    let quotaBytes: UInt64
    let clock: @Sendable () -> Timestamp

    /// What to do with a content a member uploaded.
    enum Decision: Equatable {
        /// The member stored this content before: it counts once, nothing to append.
        case alreadyCounted
        /// New for the member and within the quota: append at this stream version.
        case record(expected: StreamVersion)
        /// It would take the member past the quota.
        case overQuota
    }

    /// Pure: the decision for `size` bytes of `sha256` given the member's usage.
    static func decide(_ usage: UploadsReadModel.Usage, sha256: String, size: UInt64, quotaBytes: UInt64) -> Decision {
        if usage.contents.contains(sha256) { return .alreadyCounted }
        let (total, overflow) = usage.bytes.addingReportingOverflow(size)
        return overflow || total > quotaBytes ? .overQuota : .record(expected: usage.version)
    }

    /// How many times a conflicting append is decided again before giving up (409).
    static let maxTries = 8

    /// Stores the received upload for `memberID` on `stream` if the quota allows: commits
    /// the bytes, then records the event, with `idempotency`'s answer in the same append
    /// (alone when the content counted already). Throws 429 `quota_exceeded` beyond the
    /// quota. Returns the answer stored under the key when a concurrent request with the
    /// same key stored it first (nothing appended), else nil.
    func store(
        _ received: UploadReceiver.Received, format: ImageFormat, upload: any BlobUpload,
        memberID: String, stream: StreamID, metadata: EventMetadata, idempotency: IdempotencyRecord?
    ) async throws -> [UInt8]? {
        var committed = false
        for attempt in 1...Self.maxTries {
            let usage = self.usage.read { model, _ in model.usage(memberID: memberID) }
            let decision = Self.decide(usage, sha256: received.sha256, size: UInt64(received.size), quotaBytes: quotaBytes)
            if decision == .overQuota { throw Self.exceeded(quotaBytes) }
            if !committed {
                try await upload.commit(sha256: received.sha256)
                committed = true
            }
            var appends: [StreamAppend] = []
            if case .record(let expected) = decision {
                let event = UploadEvent.stored(UploadStored(
                    memberID: memberID, sha256: received.sha256, size: UInt64(received.size), contentType: format.contentType))
                appends = [StreamAppend(stream: stream, expected: .exactly(expected), events: [event.newEvent(at: clock(), metadata: metadata)])]
            }
            guard !appends.isEmpty || idempotency != nil else { return nil }
            do {
                if case .duplicate(let stored) = try await log.append(AppendRequest(appends, idempotency: idempotency)) { return stored }
                return nil
            } catch let error as EventLogError where error.code == .wrongExpectedVersion && attempt < Self.maxTries {
                continue  // another upload by this member won: decide again on the newer model
            }
        }
        return nil
    }

    /// 429 without `Retry-After`: a quota does not recover with time.
    static func exceeded(_ quotaBytes: UInt64) -> APIError {
        APIError(.tooManyRequests, "quota_exceeded", "Your uploads would exceed your quota of \(quotaBytes) bytes.")
    }
}
