import CLMDB

/// A cursor movement (the `MDB_cursor_op` values this project uses).
public enum CursorOp: Sendable {
    case first, last, next, previous
    /// In a `dupSort` database: the next value of the current key.
    case nextDuplicate
    /// In a `dupSort` database: the last value of the current key.
    case lastDuplicate
    /// Exactly the given key.
    case setKey
    /// The first key >= the given one.
    case setRange
    /// In a `dupSort` database: the given key and its first value >= the given one.
    case getBothRange

    var raw: MDB_cursor_op {
        switch self {
        case .first: MDB_FIRST
        case .last: MDB_LAST
        case .next: MDB_NEXT
        case .previous: MDB_PREV
        case .nextDuplicate: MDB_NEXT_DUP
        case .lastDuplicate: MDB_LAST_DUP
        case .setKey: MDB_SET_KEY
        case .setRange: MDB_SET_RANGE
        case .getBothRange: MDB_GET_BOTH_RANGE
        }
    }
}
