/// Ids in an order given by increasing keys, with any position reached in O(log n): the
/// join order of a group's members, the appointment order of its admins, the creation order
/// of groups, members by username. A persistent treap: nodes are immutable and shared, an insert
/// or a removal copies one path (O(log n) expected), and a copy of the whole order is O(1),
/// so a read model holding one is still copied in O(1) for checkpoints and decisions.
///
/// Priorities are a hash of the key (`RankedOrderKey.treapPriority`), so the same keys always
/// make the same tree (replays are deterministic in shape too, though only the order is
/// ever observed).
///
/// ```swift
/// var order = RankedOrder<UInt64>()
/// order.insert("m1", at: 1); order.insert("m2", at: 2); order.insert("m3", at: 3)
/// order.remove(at: 2)
/// order.values(from: 1, limit: 10)   // ["m3"]
/// ```
public struct RankedOrder<Key: RankedOrderKey>: Sendable {
    final class Node: Sendable {
        let key: Key
        let value: String
        let left: Node?
        let right: Node?
        /// Nodes in this subtree.
        let count: Int

        init(key: Key, value: String, left: Node?, right: Node?) {
            (self.key, self.value, self.left, self.right) = (key, value, left, right)
            count = 1 + (left?.count ?? 0) + (right?.count ?? 0)
        }

        var priority: UInt64 { key.treapPriority }

        func with(left: Node?, right: Node?) -> Node { Node(key: key, value: value, left: left, right: right) }
    }

    private var root: Node?

    public init() {}

    /// How many ids the order holds.
    public var count: Int { root?.count ?? 0 }

    public var isEmpty: Bool { root == nil }

    /// The first id (the smallest key).
    public var first: String? {
        var node = root
        while let left = node?.left { node = left }
        return node?.value
    }

    /// Adds `value` at `key` (replacing an entry with the same key).
    public mutating func insert(_ value: String, at key: Key) {
        root = Self.insert(Node(key: key, value: value, left: nil, right: nil), into: Self.remove(key, from: root))
    }

    /// Removes the entry at `key`, if there is one.
    public mutating func remove(at key: Key) { root = Self.remove(key, from: root) }

    /// Up to `limit` ids from position `rank` (0-based) on, in order: O(log n + limit).
    public func values(from rank: Int, limit: Int) -> [String] {
        guard rank >= 0, limit > 0 else { return [] }
        var out: [String] = []
        out.reserveCapacity(min(limit, 128))
        var stack: [Node] = []
        var node = root
        var rank = rank
        while let current = node {
            let leftCount = current.left?.count ?? 0
            if rank < leftCount {
                stack.append(current)
                node = current.left
            } else if rank == leftCount {
                stack.append(current)
                node = nil
            } else {
                rank -= leftCount + 1
                node = current.right
            }
        }
        while out.count < limit, let current = stack.popLast() {
            out.append(current.value)
            var next = current.right
            while let child = next {
                stack.append(child)
                next = child.left
            }
        }
        return out
    }

    /// Every (key, id) in order (snapshots).
    public func forEach(_ body: (Key, String) -> Void) {
        var stack: [Node] = []
        var node = root
        while node != nil || !stack.isEmpty {
            while let current = node {
                stack.append(current)
                node = current.left
            }
            guard let current = stack.popLast() else { break }
            body(current.key, current.value)
            node = current.right
        }
    }

    private static func insert(_ new: Node, into node: Node?) -> Node {
        guard let node else { return new }
        if new.priority > node.priority {
            let (less, greater) = split(node, at: new.key)
            return new.with(left: less, right: greater)
        }
        if new.key < node.key { return node.with(left: insert(new, into: node.left), right: node.right) }
        return node.with(left: node.left, right: insert(new, into: node.right))
    }

    private static func remove(_ key: Key, from node: Node?) -> Node? {
        guard let node else { return nil }
        if key == node.key { return merge(node.left, node.right) }
        if key < node.key {
            guard let left = node.left else { return node }
            let updated = remove(key, from: left)
            return updated === left ? node : node.with(left: updated, right: node.right)
        }
        guard let right = node.right else { return node }
        let updated = remove(key, from: right)
        return updated === right ? node : node.with(left: node.left, right: updated)
    }

    /// (keys below `key`, keys above or at it).
    private static func split(_ node: Node?, at key: Key) -> (Node?, Node?) {
        guard let node else { return (nil, nil) }
        if node.key < key {
            let (less, greater) = split(node.right, at: key)
            return (node.with(left: node.left, right: less), greater)
        }
        let (less, greater) = split(node.left, at: key)
        return (less, node.with(left: greater, right: node.right))
    }

    /// Joins two trees, every key of `left` below every key of `right`.
    private static func merge(_ left: Node?, _ right: Node?) -> Node? {
        guard let left else { return right }
        guard let right else { return left }
        if left.priority > right.priority { return left.with(left: left.left, right: merge(left.right, right)) }
        return right.with(left: merge(left, right.left), right: right.right)
    }
}

/// A key of a `RankedOrder`: ordered, with a well-spread priority that is the same in every
/// process (not `hashValue`, which is seeded per process).
public protocol RankedOrderKey: Comparable, Sendable {
    var treapPriority: UInt64 { get }
}

extension UInt64: RankedOrderKey {
    /// SplitMix64 of the key: a well-spread priority, the same on every replay.
    public var treapPriority: UInt64 {
        var z = self &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
