import EventSourcing

/// The `head` value in `meta`: BE UInt64 size ++ 32-byte root ++ (BE Int64 ms of the last event, when size > 0).
enum HeadFormat {
    static func encode(_ head: LogHead) -> [UInt8] {
        var out = BigEndian.bytes(head.size)
        head.root.withUnsafeBytes { out.append(contentsOf: $0) }
        if let timestamp = head.timestamp {
            BigEndian.append(UInt64(bitPattern: timestamp.millisecondsSince1970), to: &out)
        }
        return out
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws -> LogHead {
        guard let size = BigEndian.uint64(raw), raw.count >= 40,
            let root = MerkleHash(bytes: UnsafeRawBufferPointer(rebasing: raw[8..<40]))
        else { throw EventLogError(.corrupt, "malformed head") }
        let timestamp = BigEndian.uint64(raw, at: 40).map { Timestamp(millisecondsSince1970: Int64(bitPattern: $0)) }
        return LogHead(size: size, root: root, timestamp: timestamp)
    }
}
