import HashTreeCollections

/// An inverted index from `TextTokens` to ids: what search reads instead of scanning every
/// document. Kept by a read model (or beside one); tries share structure on copy, so a
/// snapshot of the index costs nothing until the next change.
///
/// ```swift
/// var index = TextIndex<String>()
/// index.set("p1", text: "今天天气很好 nice weather")
/// index.search("天气")          // ["p1"]
/// index.search("weather")      // ["p1"]
/// ```
public struct TextIndex<ID: Hashable & Sendable>: Sendable {
    private var postings: TreeDictionary<String, TreeSet<ID>> = [:]
    private var tokensOf: TreeDictionary<ID, Set<String>> = [:]
    /// Index prefixes of words too (people search); off for whole-word search (posts).
    public let prefixes: Bool

    public init(prefixes: Bool = false) { self.prefixes = prefixes }

    /// How many ids are indexed.
    public var count: Int { tokensOf.count }

    /// Indexes `id` under `text` (replacing what it was indexed under before).
    public mutating func set(_ id: ID, text: String) {
        let tokens = TextTokens.index(text, prefixes: prefixes)
        let old = tokensOf[id] ?? []
        for token in old.subtracting(tokens) { removePosting(token, id) }
        for token in tokens.subtracting(old) { postings[token, default: []].insert(id) }
        tokensOf[id] = tokens.isEmpty ? nil : tokens
    }

    /// Forgets `id`.
    public mutating func remove(_ id: ID) {
        guard let old = tokensOf.removeValue(forKey: id) else { return }
        for token in old { removePosting(token, id) }
    }

    /// The ids whose text holds every token of `query`; nil for a query with no token.
    public func search(_ query: String) -> Set<ID>? {
        let tokens = TextTokens.query(query)
        guard !tokens.isEmpty else { return nil }
        var sets: [TreeSet<ID>] = []
        for token in tokens {
            guard let set = postings[token] else { return [] }
            sets.append(set)
        }
        sets.sort { $0.count < $1.count }
        var result = Set(sets[0])
        for set in sets.dropFirst() where !result.isEmpty { result = result.filter { set.contains($0) } }
        return result
    }

    private mutating func removePosting(_ token: String, _ id: ID) {
        guard var set = postings[token] else { return }
        set.remove(id)
        postings[token] = set.isEmpty ? nil : set
    }
}
