/// The kind of a stream: the part of its name before the first `-`.
///
/// Categories are the server's own constants (`.member`, `.verification`, ...), declared
/// by the domains as static members; one is 1-32 characters of `[a-z]`, so a category
/// and an `EntityID` always make a valid `StreamID`.
public struct StreamCategory: Hashable, Sendable, CustomStringConvertible {
    public let name: String

    /// A category named by a constant of the program (never by client input).
    public init(_ name: StaticString) {
        let text = name.description
        precondition((1...32).contains(text.utf8.count) && text.utf8.allSatisfy { (0x61...0x7A).contains($0) },
                     "a stream category is 1-32 of a-z")
        self.name = text
    }

    public var description: String { name }
}
