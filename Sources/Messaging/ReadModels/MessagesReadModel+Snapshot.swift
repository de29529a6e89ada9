import HashTreeCollections
import EventSourcing

extension MessagesReadModel {
    /// Canonical: conversations sorted by id with their positions, directs, marks,
    /// tenures and group ends sorted.
    public func snapshot() -> [UInt8] {
        var w = BinaryWriter(capacity: 64 * conversations.count + 64)
        w.write(UInt64(conversations.count))
        for (id, conversation) in conversations.sorted(by: { $0.key < $1.key }) {
            w.write(id)
            w.write(UInt64(conversation.positions.count))
            for position in conversation.positions { w.write(position) }
        }
        w.write(UInt64(directs.count))
        for (member, ids) in directs.sorted(by: { $0.key < $1.key }) {
            w.write(member)
            w.write(UInt64(ids.count))
            for id in ids.sorted() { w.write(id) }
        }
        w.write(UInt64(marks.count))
        for (member, read) in marks.sorted(by: { $0.key < $1.key }) {
            w.write(member)
            w.write(UInt64(read.count))
            for (id, seq) in read.sorted(by: { $0.key < $1.key }) {
                w.write(id)
                w.write(seq)
            }
        }
        w.write(UInt64(tenures.count))
        for (member, groups) in tenures.sorted(by: { $0.key < $1.key }) {
            w.write(member)
            w.write(UInt64(groups.count))
            for (id, tenure) in groups.sorted(by: { $0.key < $1.key }) {
                w.write(id)
                w.write(UInt64(tenure.stretches.count))
                for stretch in tenure.stretches {
                    w.write(stretch.joined)
                    w.write(stretch.left)
                }
            }
        }
        w.write(UInt64(groupEnds.count))
        for (id, position) in groupEnds.sorted(by: { $0.key < $1.key }) {
            w.write(id)
            w.write(position)
        }
        return w.bytes
    }

    public init(snapshot: [UInt8]) throws {
        self.init()
        try BinaryReader.read(snapshot) { r in
            for _ in 0..<(try r.readCount()) {
                let id = try r.readString()
                var conversation = Conversation()
                for _ in 0..<(try r.readCount()) { conversation.positions.append(try r.readUInt64()) }
                conversations[id] = conversation
            }
            for _ in 0..<(try r.readCount()) {
                let member = try r.readString()
                var ids: TreeSet<String> = []
                for _ in 0..<(try r.readCount()) { ids.insert(try r.readString()) }
                directs[member] = ids
            }
            for _ in 0..<(try r.readCount()) {
                let member = try r.readString()
                var read: TreeDictionary<String, UInt64> = [:]
                for _ in 0..<(try r.readCount()) { read[try r.readString()] = try r.readUInt64() }
                marks[member] = read
            }
            for _ in 0..<(try r.readCount()) {
                let member = try r.readString()
                var groups: TreeDictionary<String, GroupTenure> = [:]
                for _ in 0..<(try r.readCount()) {
                    let id = try r.readString()
                    var stretches: [GroupTenure.Stretch] = []
                    for _ in 0..<(try r.readCount()) { stretches.append(.init(joined: try r.readUInt64(), left: try r.readUInt64())) }
                    groups[id] = try GroupTenure(stretches: stretches)
                }
                tenures[member] = groups
            }
            for _ in 0..<(try r.readCount()) { groupEnds[try r.readString()] = try r.readUInt64() }
        }
    }
}
