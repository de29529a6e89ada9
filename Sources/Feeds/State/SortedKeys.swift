/// Keys in ascending order, kept in chunks of at most `2 × chunkSize` (a two-level B-tree):
/// inserting or removing moves at most one chunk's elements, walking from any key is a
/// binary search away, and a copy of the whole list (a checkpoint's, a decision's) shares
/// the chunks, so the next change copies one chunk and the chunk table, never every key.
///
/// ```swift
/// var keys = SortedKeys<Int>()
/// keys.insert(3); keys.insert(1); keys.insert(2)
/// keys.descending(below: 3, limit: 10)   // [2, 1]
/// ```
public struct SortedKeys<Key: Comparable & Sendable>: Sendable {
    static var chunkSize: Int { 256 }

    private(set) var chunks: [[Key]] = []
    public private(set) var count = 0

    /// Where a key sits: its chunk and its index in the chunk.
    public struct Position: Hashable, Sendable {
        var chunk: Int
        var index: Int
    }

    public init() {}

    /// A list of `sorted` (ascending, no duplicates), built in one pass.
    public init(sorted: [Key]) {
        var start = 0
        while start < sorted.count {
            let end = min(sorted.count, start + Self.chunkSize)
            chunks.append(Array(sorted[start..<end]))
            start = end
        }
        count = sorted.count
    }

    public var isEmpty: Bool { count == 0 }
    public var first: Key? { chunks.first?.first }
    public var last: Key? { chunks.last?.last }

    public subscript(position: Position) -> Key { chunks[position.chunk][position.index] }

    // MARK: Changes

    /// Inserts `key`; false when it was there already.
    @discardableResult
    public mutating func insert(_ key: Key) -> Bool {
        guard !chunks.isEmpty else {
            chunks = [[key]]
            count = 1
            return true
        }
        let chunk = min(chunkIndex(atLeast: key), chunks.count - 1)
        let index = Self.lowerBound(key, in: chunks[chunk])
        if index < chunks[chunk].count, chunks[chunk][index] == key { return false }
        chunks[chunk].insert(key, at: index)
        count += 1
        if chunks[chunk].count > 2 * Self.chunkSize {
            let upper = Array(chunks[chunk][Self.chunkSize...])
            chunks[chunk].removeSubrange(Self.chunkSize...)
            chunks.insert(upper, at: chunk + 1)
        }
        return true
    }

    /// Removes `key`; false when it was not there.
    @discardableResult
    public mutating func remove(_ key: Key) -> Bool {
        guard let position = position(of: key) else { return false }
        chunks[position.chunk].remove(at: position.index)
        count -= 1
        if chunks[position.chunk].isEmpty { chunks.remove(at: position.chunk) }
        return true
    }

    /// Removes and returns the smallest key.
    @discardableResult
    public mutating func removeFirst() -> Key? {
        guard let key = first else { return nil }
        remove(key)
        return key
    }

    // MARK: Lookups

    public func contains(_ key: Key) -> Bool { position(of: key) != nil }

    public func position(of key: Key) -> Position? {
        let chunk = chunkIndex(atLeast: key)
        guard chunk < chunks.count else { return nil }
        let index = Self.lowerBound(key, in: chunks[chunk])
        guard index < chunks[chunk].count, chunks[chunk][index] == key else { return nil }
        return Position(chunk: chunk, index: index)
    }

    /// The largest key below `bound` (the largest of all when `bound` is nil).
    public func position(below bound: Key?) -> Position? {
        guard let bound else { return lastPosition }
        let chunk = chunkIndex(atLeast: bound)
        if chunk < chunks.count {
            let index = Self.lowerBound(bound, in: chunks[chunk])
            if index > 0 { return Position(chunk: chunk, index: index - 1) }
        }
        return chunk > 0 ? Position(chunk: chunk - 1, index: chunks[chunk - 1].count - 1) : nil
    }

    /// The largest key at most `bound`.
    public func position(atMost bound: Key) -> Position? {
        position(of: bound) ?? position(below: bound)
    }

    /// The smallest key above `bound` (the smallest of all when `bound` is nil).
    public func position(above bound: Key?) -> Position? {
        guard let bound else { return chunks.isEmpty ? nil : Position(chunk: 0, index: 0) }
        var chunk = chunkIndex(atLeast: bound)
        guard chunk < chunks.count else { return nil }
        var index = Self.lowerBound(bound, in: chunks[chunk])
        if index < chunks[chunk].count, chunks[chunk][index] == bound { index += 1 }
        if index == chunks[chunk].count {
            chunk += 1
            index = 0
        }
        return chunk < chunks.count ? Position(chunk: chunk, index: index) : nil
    }

    var lastPosition: Position? { chunks.isEmpty ? nil : Position(chunk: chunks.count - 1, index: chunks[chunks.count - 1].count - 1) }

    /// The next smaller key's position.
    public func before(_ position: Position) -> Position? {
        if position.index > 0 { return Position(chunk: position.chunk, index: position.index - 1) }
        guard position.chunk > 0 else { return nil }
        return Position(chunk: position.chunk - 1, index: chunks[position.chunk - 1].count - 1)
    }

    /// The next larger key's position.
    public func after(_ position: Position) -> Position? {
        if position.index + 1 < chunks[position.chunk].count { return Position(chunk: position.chunk, index: position.index + 1) }
        return position.chunk + 1 < chunks.count ? Position(chunk: position.chunk + 1, index: 0) : nil
    }

    // MARK: Walks

    /// Calls `body` with the keys below `bound` (all when nil), largest first, until it answers false.
    public func forEachDescending(below bound: Key?, _ body: (Key) -> Bool) {
        var position = position(below: bound)
        while let current = position {
            guard body(self[current]) else { return }
            position = before(current)
        }
    }

    /// Calls `body` with the keys above `bound` (all when nil), smallest first, until it answers false.
    public func forEachAscending(above bound: Key?, _ body: (Key) -> Bool) {
        var position = position(above: bound)
        while let current = position {
            guard body(self[current]) else { return }
            position = after(current)
        }
    }

    /// Up to `limit` keys below `bound`, largest first.
    public func descending(below bound: Key?, limit: Int) -> [Key] {
        var out: [Key] = []
        forEachDescending(below: bound) { key in
            out.append(key)
            return out.count < limit
        }
        return out
    }

    /// Up to `limit` keys starting `offset` places from the largest, largest first (offset paging).
    public func descending(offset: Int, limit: Int) -> [Key] {
        guard offset >= 0, offset < count, limit > 0 else { return [] }
        var skip = offset
        var chunk = chunks.count - 1
        while chunk >= 0, skip >= chunks[chunk].count {
            skip -= chunks[chunk].count
            chunk -= 1
        }
        guard chunk >= 0 else { return [] }
        var out: [Key] = []
        var position: Position? = Position(chunk: chunk, index: chunks[chunk].count - 1 - skip)
        while let current = position, out.count < limit {
            out.append(self[current])
            position = before(current)
        }
        return out
    }

    /// Every key, ascending.
    public var all: [Key] { chunks.flatMap { $0 } }

    // MARK: Search

    /// The first chunk whose last key is at least `key` (`chunks.count` when none is).
    private func chunkIndex(atLeast key: Key) -> Int {
        var low = 0, high = chunks.count
        while low < high {
            let mid = (low + high) / 2
            if let last = chunks[mid].last, last < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The first index in `chunk` whose key is at least `key`.
    private static func lowerBound(_ key: Key, in chunk: [Key]) -> Int {
        var low = 0, high = chunk.count
        while low < high {
            let mid = (low + high) / 2
            if chunk[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension SortedKeys: Equatable where Key: Equatable {
    public static func == (lhs: SortedKeys, rhs: SortedKeys) -> Bool { lhs.count == rhs.count && lhs.all == rhs.all }
}
