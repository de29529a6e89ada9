public import EventSourcing

/// Member ids in join (or appointment, or creation) order: a `RankedOrder` keyed by the
/// log position of the event that put them there.
public typealias MemberOrder = RankedOrder<UInt64>
