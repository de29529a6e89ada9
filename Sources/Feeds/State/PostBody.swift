import EventSourcing

/// A post's personal data: its text and its resource URLs. Events and read models hold it
/// only sealed under the author's key (`PersonalDataSeal`, part `.post(id)`), so deleting
/// the author makes it unreadable.
public struct PostBody: Hashable, Sendable {
    public var content: String
    public var resources: [String]

    public init(content: String, resources: [String]) {
        self.content = content
        self.resources = resources
    }

    /// The plaintext that is sealed: content, then the resources.
    public var encoded: [UInt8] {
        var w = BinaryWriter(capacity: content.utf8.count + resources.reduce(16) { $0 + $1.utf8.count + 2 })
        w.write(content)
        w.write(UInt64(resources.count))
        for resource in resources { w.write(resource) }
        return w.bytes
    }

    public init(encoded bytes: [UInt8]) throws {
        self = try BinaryReader.read(bytes) { r in
            let content = try r.readString()
            var resources: [String] = []
            for _ in 0..<(try r.readCount(max: 64)) { resources.append(try r.readString()) }
            guard r.isAtEnd else { throw BinaryReader.Error(description: "post body: bytes left over") }
            return PostBody(content: content, resources: resources)
        }
    }
}
