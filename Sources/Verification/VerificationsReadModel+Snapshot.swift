import EventSourcing
import HashTreeCollections

extension VerificationsReadModel {
    /// Canonical: codes and destinations sorted by key, then the two expiry queues in order.
    public func snapshot() -> [UInt8] {
        var w = BinaryWriter()
        w.write(UInt64(codes.count))
        for (_, box) in codes.sorted(by: { $0.key < $1.key }) {
            let code = box.value
            w.write(code.issued.payload)
            w.write(code.issuedAt); w.write(code.attemptsLeft); w.write(code.approved); w.write(code.canceled)
            w.write(code.destroyed); w.write(code.consumed); w.write(code.version)
            switch code.delivery {
            case .pending(let attempts): w.write(0); w.write(attempts)
            case .delivered: w.write(1); w.write(0)
            case .failed: w.write(2); w.write(0)
            }
        }
        w.write(UInt64(destinations.count))
        for (id, destination) in destinations.sorted(by: { $0.key < $1.key }) {
            w.write(id); w.write(destination.version)
            w.write(UInt64(destination.recentSends.count))
            for send in destination.recentSends { w.write(send) }
            w.write(UInt64(destination.latestKey.count))
            for (operation, key) in destination.latestKey.sorted(by: { $0.key < $1.key }) {
                w.write(operation); w.write(key)
            }
        }
        expiryQueue.write(to: &w)
        destinationExpiryQueue.write(to: &w)
        return w.bytes
    }

    public init(snapshot: [UInt8]) throws {
        self.init()
        try BinaryReader.read(snapshot) { r in
            for _ in 0..<(try r.readUInt64()) {
                var code = CodeState(issued: try CodeIssued(payload: try r.readBytes()), issuedAt: try r.readTimestamp())
                code.attemptsLeft = try r.readInt(); code.approved = try r.readBool(); code.canceled = try r.readBool()
                code.destroyed = try r.readBool(); code.consumed = try r.readBool(); code.version = try r.readUInt64()
                let kind = try r.readInt()
                let attempts = try r.readInt()
                code.delivery = kind == 0 ? .pending(attempts: attempts) : kind == 1 ? .delivered : .failed
                setCode(code)
            }
            for _ in 0..<(try r.readUInt64()) {
                let id = try r.readString()
                var destination = DestinationState()
                destination.version = try r.readUInt64()
                for _ in 0..<(try r.readUInt64()) { destination.recentSends.append(try r.readTimestamp()) }
                for _ in 0..<(try r.readUInt64()) { destination.latestKey[try r.readString()] = try r.readString() }
                setDestination(id, destination)
            }
            expiryQueue = try ExpiryQueue(from: &r)
            destinationExpiryQueue = try ExpiryQueue(from: &r)
        }
    }
}
