import EventSourcing
import Foundation
import Testing
@testable import Members

let t0 = Timestamp(millisecondsSince1970: 1_795_000_000_000)

/// A small seeded generator, so tokens and seals are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

/// Whether `needle` occurs in `haystack` as a contiguous run of bytes.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    Data(haystack).range(of: Data(needle)) != nil
}

/// The refusal `body` threw, if it was a `MemberError`.
func refusal(_ body: () throws -> Void) -> MemberError? {
    do {
        try body()
        return nil
    } catch let error as MemberError {
        return error
    } catch {
        return nil
    }
}

/// The field of an `.invalid` refusal.
func invalidField(_ body: () throws -> Void) -> String? {
    guard case .invalid(let field, _)? = refusal(body) else { return nil }
    return field
}

/// Whether `body` was refused as a weak password.
func isWeak(_ body: () throws -> Void) -> Bool {
    guard case .weakPassword? = refusal(body) else { return false }
    return true
}

/// A members read model fed the way the log would feed it, without a log.
struct MemberLog {
    var model = MembersReadModel()
    var position: LogPosition = 0
    var versions: [StreamID: StreamVersion] = [:]
    var recorded: [RecordedEvent] = []

    mutating func append(_ event: MemberEvent, on stream: StreamID, at time: Timestamp) {
        position += 1
        let version = (versions[stream] ?? 0) + 1
        versions[stream] = version
        let new = event.newEvent(at: time)
        let recordedEvent = RecordedEvent(
            position: position, stream: stream, version: version, type: new.type, payload: new.payload,
            timestamp: new.timestamp, metadata: new.metadata)
        recorded.append(recordedEvent)
        do { try model.apply(recordedEvent) } catch { Issue.record(error, "apply \(recordedEvent.type)") }
    }

    mutating func register(_ id: String, username: String, at time: Timestamp = t0) {
        let registered = MemberRegistered(
            username: username, passwordHash: "$scrypt$x", method: "password", profile: SealedPart(bytes: [2, 1, 2, 3]), contact: nil,
            displayNameKey: "dn-\(id)", phoneKey: nil)
        append(.registered(registered), on: testStream("member", id), at: time)
        append(.claimTaken(ClaimTaken(memberID: id)), on: testStream("username", username.lowercased()), at: time)
    }

    /// Starts a session and returns its token hash.
    @discardableResult
    mutating func startSession(
        _ sessionID: String, member id: String, at time: Timestamp = t0, lifetime: Int64 = SessionToken.lifetimeSeconds
    ) -> [UInt8] {
        let tokenHash = SessionToken.hash("lbk_token-of-\(sessionID)")
        let session = SessionStarted(id: sessionID, tokenHash: tokenHash, expiresAt: time.adding(seconds: lifetime), method: "password")
        append(.sessionStarted(session), on: testStream("member", id), at: time)
        return tokenHash
    }
}

/// `category-id` for the readable fake ids of these tests (`m1`, `r1`).
func testStream(_ category: String, _ id: String) -> StreamID { StreamID("\(category)-\(id)") ?? "invalid-stream" }
