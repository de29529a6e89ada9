public import EventSourcing
import Synchronization

/// Reserves a member's login attempts before their password hashes are computed, so the
/// lockout holds under concurrency: at most `MemberState.lockoutFailures` attempts per
/// member are judged in a lockout window, counting the failures already recorded in the
/// log and the attempts still being judged. An attempt beyond that is refused (429) before
/// any hashing, whether its password is right or not.
///
/// In memory: the log holds the failures; this holds only what is in flight, which a
/// restart ends anyway.
public final class LoginGate: Sendable {
    private let inFlight = Mutex<[String: Int]>([:])
    private let onLocked = Mutex<@Sendable () -> Void>({})

    public init() {}

    /// Calls `report` for every attempt refused because the member is locked (metrics).
    public func reportLockouts(to report: @escaping @Sendable () -> Void) { onLocked.withLock { $0 = report } }

    /// Reserves an attempt for member `id` at `now`; throws `locked` when its failures in
    /// the window plus the attempts in flight already reach the limit. `state` reads the
    /// member's current state under this gate's lock, so a failure recorded by an attempt
    /// that just released its reservation is counted.
    public func reserve(_ id: String, now: Timestamp, state: () -> MemberState?) throws(MemberError) -> Reservation {
        let admitted = inFlight.withLock { table -> Timestamp? in
            let pending = table[id, default: 0]
            if let member = state(), let until = member.lockedUntil(at: now, pending: pending) { return until }
            table[id] = pending + 1
            return nil
        }
        if let until = admitted {
            onLocked.withLock { $0 }()
            throw .locked(retryAfterSeconds: max(1, until.secondsSince(now)))
        }
        return Reservation(gate: self, memberID: id)
    }

    /// How many attempts are being judged for `memberID` now.
    public func pending(_ memberID: String) -> Int { inFlight.withLock { $0[memberID, default: 0] } }

    fileprivate func release(_ memberID: String) {
        inFlight.withLock { table in
            let left = table[memberID, default: 1] - 1
            table[memberID] = left > 0 ? left : nil
        }
    }

    /// One reserved attempt; `release()` once its outcome is in the log (a failure appended,
    /// or the session started).
    public struct Reservation: Sendable {
        let gate: LoginGate
        let memberID: String

        public func release() { gate.release(memberID) }
    }
}
