/// A 1-based, gapless position in the global log: the n-th event ever appended.
public typealias LogPosition = UInt64

/// A 1-based, gapless version within one stream: the n-th event of that stream.
/// A stream that does not exist has version 0.
public typealias StreamVersion = UInt64
