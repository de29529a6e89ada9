/// A domain's decision logic, Equinox-style: pure functions from commands and state to events.
///
/// `decide` gets the time and a random source as inputs, so it is deterministic under
/// test; `evolve` is total and reads only the event (its data and its event time), so
/// replaying the log rebuilds the same state on any day. A command with nothing to
/// do decides no events.
///
/// ```swift
/// var state = Verification.initial
/// let events = try Verification.decide(.check(code), state: state, now: now, random: &rng)
/// state = events.reduce(state, Verification.evolve)
/// ```
public protocol Decider {
    associatedtype State: Sendable
    associatedtype Command
    associatedtype Event: Sendable

    /// The state of a stream with no events.
    static var initial: State { get }

    /// The events `command` causes in `state` at `now`; throws a domain error to refuse it.
    static func decide<R: RandomNumberGenerator>(
        _ command: Command, state: State, now: Timestamp, random: inout R
    ) throws -> [Event]

    /// The state after `event`.
    static func evolve(_ state: State, _ event: Event) -> State
}

extension Decider {
    /// Folds `events` over `state`.
    public static func fold(_ state: State, _ events: some Sequence<Event>) -> State {
        events.reduce(state, evolve)
    }
}
