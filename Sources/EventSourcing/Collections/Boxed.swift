/// A value kept behind one reference, with value semantics (copy on write).
///
/// For large structs stored in hash tries (`TreeDictionary`): a trie's node keeps its
/// items side by side and moves them on every insertion, and a member's or a code's state
/// is a few hundred bytes; boxed, an item is 8 bytes (measured: inserting members was half
/// of the members read model's replay, most of it moving items). Reads go through to the
/// value (`member.status`); a mutation copies the value first only when the box is shared
/// (by a checkpoint's copy of the model), like `Array`.
@dynamicMemberLookup
public struct Boxed<Value: Sendable>: Sendable {
    private final class Storage: @unchecked Sendable {
        // Mutated only through `Boxed.value`'s `_modify`, when this storage is uniquely
        // referenced: no other box, and so no other thread, can see it then.
        var value: Value
        init(_ value: Value) { self.value = value }
    }

    private var storage: Storage

    public init(_ value: Value) { storage = Storage(value) }

    public var value: Value {
        get { storage.value }
        _modify {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.value) }
            yield &storage.value
        }
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<Value, T>) -> T { storage.value[keyPath: keyPath] }
}

extension Boxed: Equatable where Value: Equatable {
    public static func == (lhs: Boxed, rhs: Boxed) -> Bool { lhs.storage === rhs.storage || lhs.value == rhs.value }
}

extension Boxed: Hashable where Value: Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
