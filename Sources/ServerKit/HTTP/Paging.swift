public import Hummingbird
public import EventSourcing

/// API.md's paged lists: `?page=1&page_size=20` (page_size 1-100), answered with
/// `{"items", "page", "page_size", "total_rows", "total_pages"}`.
public struct PageRequest: Hashable, Sendable {
    public var page: Int
    public var size: Int

    /// Reads `page` (default 1, at most 1,000,000) and `page_size` (default 20, 1-100); 400 beyond.
    public init(_ request: Request) throws {
        page = Int(try request.queryInteger("page", default: 1, range: 1...1_000_000))
        size = Int(try request.queryInteger("page_size", default: 20, range: 1...100))
    }

    public init(page: Int, size: Int) {
        self.page = page
        self.size = size
    }

    /// The range of `total` rows this page shows.
    public func range(of total: Int) -> Range<Int> {
        let start = min(total, (page - 1) * size)
        return start..<min(total, start + size)
    }
}

/// A page of items as API.md answers it.
public struct PageBody<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var page: Int
    public var pageSize: Int
    public var totalRows: Int
    public var totalPages: Int

    enum CodingKeys: String, CodingKey {
        case items, page, pageSize = "page_size", totalRows = "total_rows", totalPages = "total_pages"
    }

    public init(items: [Item], request: PageRequest, totalRows: Int) {
        self.items = items
        page = request.page
        pageSize = request.size
        self.totalRows = totalRows
        totalPages = (totalRows + request.size - 1) / request.size
    }
}

/// API.md's cursor lists: `?cursor=&limit=20` (limit 1-100), answered with
/// `{"items", "next_cursor"}` (`null` at the end). A cursor is opaque to clients: the
/// domain encodes where the next page starts (`Cursor`), so paging while others write
/// never repeats or skips an item that existed throughout.
public struct CursorRequest: Hashable, Sendable {
    public var cursor: Cursor?
    public var limit: Int

    /// Reads `cursor` (400 when it is not one this server made) and `limit` (1-100, default
    /// `defaultLimit`).
    public init(_ request: Request, defaultLimit: Int = 20) throws {
        limit = Int(try request.queryInteger("limit", default: UInt64(defaultLimit), range: 1...100))
        if let text = request.uri.queryParameters.get("cursor"), !text.isEmpty {
            guard let cursor = Cursor(text) else { throw APIError.validation(field: "cursor", "cursor is not one this server gave.") }
            self.cursor = cursor
        }
    }

    public init(cursor: Cursor?, limit: Int) {
        self.cursor = cursor
        self.limit = limit
    }
}

/// An opaque position in a list: a few strings (a sort key and a tie-breaking id, say),
/// written as base64url so clients cannot read or build one.
public struct Cursor: Hashable, Sendable, CustomStringConvertible {
    public var parts: [String]

    public init(_ parts: [String]) { self.parts = parts }

    /// Parses what `description` wrote; nil for anything else (or over 512 bytes).
    public init?(_ text: String) {
        guard text.utf8.count <= 512, let bytes = Base64URL.decode(text),
            let string = String(validating: bytes, as: UTF8.self)
        else { return nil }
        let parts = string.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == "c1" else { return nil }
        self.parts = Array(parts.dropFirst())
    }

    public var description: String { Base64URL.encode(Array((["c1"] + parts).joined(separator: "\u{1F}").utf8)) }
}

/// A cursor page as API.md answers it.
public struct CursorPageBody<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var nextCursor: String?

    enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }

    public init(items: [Item], next: Cursor?) {
        self.items = items
        nextCursor = next?.description
    }

    /// Always writes `next_cursor` (`null` at the end), as API.md shows it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

extension CursorPageBody: SchemaConstrained {
    /// `next_cursor` is always there: a string, or `null` on the last page.
    public static var schemaConstraints: [String: JSONValue] {
        ["next_cursor": ["type": ["string", "null"], "description": "The cursor of the next page; null on the last page."]]
    }
}

/// Unpadded base64url.
enum Base64URL {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for slot in 0...chunk.count { out.append(alphabet[Int(value >> (18 - 6 * UInt32(slot)) & 63)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt32] = []
        for byte in text.utf8 {
            guard let index = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt32(index))
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | $1.element << (18 - 6 * UInt32($1.offset)) }
            for slot in 0..<(chunk.count - 1) { out.append(UInt8(truncatingIfNeeded: value >> (16 - 8 * UInt32(slot)))) }
            index += 4
        }
        return out
    }
}

extension Request {
    /// The search query `q` (empty when absent): 64 characters at most under API.md's text
    /// rules (bytes and combining marks counted too), else 400 naming `q`.
    public func searchQuery(maxCharacters: Int = SearchQuery.maxCharacters) throws -> String {
        let query = uri.queryParameters.get("q").map { String($0) } ?? ""
        if let reason = TextRule.freeText(max: maxCharacters).violation(in: query) { throw APIError.validation(field: "q", "q \(reason)") }
        return query
    }
}

/// The `q` of searches.
public enum SearchQuery {
    public static let maxCharacters = 64
    public static let parameter = QueryParameter.string(
        "q", maxLength: maxCharacters, description: "Text to look for (prefixes of words; CJK by character). Empty lists all.")
}
