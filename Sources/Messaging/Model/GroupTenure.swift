public import EventSourcing

/// The stretches of the log during which a member was in a group: the group's messages
/// committed inside them are the member's to receive (`/v1/sync`, the socket's replay).
/// A stretch runs from the event that made them a member (exclusive) to the event that
/// ended it (exclusive; `LogPosition.max` while they are still in). Most members have one
/// stretch, kept inline; a member who left and came back has the earlier ones in `earlier`.
public struct GroupTenure: Hashable, Sendable {
    public struct Stretch: Hashable, Sendable {
        public var joined: LogPosition
        public var left: LogPosition

        public func contains(_ position: LogPosition) -> Bool { position > joined && position < left }
    }

    /// Closed stretches before the latest one, oldest first (empty for most members).
    public internal(set) var earlier: [Stretch] = []
    public internal(set) var latest: Stretch

    init(joined: LogPosition) { latest = Stretch(joined: joined, left: .max) }

    /// From a snapshot's stretches, oldest first (at least one).
    init(stretches: [Stretch]) throws {
        guard let last = stretches.last else { throw BinaryReader.Error(description: "a tenure without stretches") }
        (earlier, latest) = (Array(stretches.dropLast()), last)
    }

    public var isOpen: Bool { latest.left == .max }

    /// Every stretch, oldest first.
    public var stretches: [Stretch] { earlier + [latest] }

    /// Whether the member was in the group at `position` (no allocation: the dispatcher asks
    /// this for every online member of a group per message).
    public func contains(_ position: LogPosition) -> Bool {
        latest.contains(position) || earlier.contains { $0.contains(position) }
    }

    /// Joined again at `position` (nothing when still in). When no message of the group was
    /// committed while they were out (`lastMessage` is the position of its latest), the
    /// latest stretch simply reopens: leaving and rejoining in a loop adds no stretches.
    mutating func rejoin(at position: LogPosition, lastMessage: LogPosition) {
        guard !isOpen else { return }
        if lastMessage < latest.left {
            latest.left = .max
            return
        }
        earlier.append(latest)
        latest = Stretch(joined: position, left: .max)
    }

    /// Left at `position` (nothing when already out).
    mutating func leave(at position: LogPosition) {
        guard isOpen else { return }
        latest.left = position
    }
}
