/// The canonical byte form of an event envelope body: everything but its position
/// and stream version, which the log assigns at commit time.
///
/// This is what the LMDB log compresses into each record (see ARCHITECTURE.md):
///
///     varint  stream length, stream UTF-8
///     varint  type length, type UTF-8
///     zigzag  timestamp (ms since 1970)
///     byte    metadata flags: 1 correlation, 2 causation, 4 actor, 8 idempotency key
///     for each flag set, in that order: varint length, UTF-8
///     rest    payload
public enum EnvelopeCodec {
    private static let correlationFlag: UInt8 = 1
    private static let causationFlag: UInt8 = 2
    private static let actorFlag: UInt8 = 4
    private static let idempotencyFlag: UInt8 = 8

    /// The body of `event` in `stream`.
    public static func encodeBody(_ event: NewEvent, stream: StreamID) -> [UInt8] {
        let m = event.metadata
        var writer = BinaryWriter(capacity: 64 + stream.rawValue.utf8.count + event.type.utf8.count + event.payload.count)
        writer.write(stream.rawValue)
        writer.write(event.type)
        writer.write(event.timestamp)
        var flags: UInt8 = 0
        if m.correlationID != nil { flags |= correlationFlag }
        if m.causationID != nil { flags |= causationFlag }
        if m.actor != nil { flags |= actorFlag }
        if m.idempotencyKey != nil { flags |= idempotencyFlag }
        writer.write(byte: flags)
        if let value = m.correlationID { writer.write(value) }
        if let value = m.causationID { writer.write(value) }
        if let value = m.actor { writer.write(value) }
        if let value = m.idempotencyKey { writer.write(value) }
        writer.writeRaw(event.payload)
        return writer.bytes
    }

    /// Decodes a body written by `encodeBody` into the event at `position` and `version`.
    public static func decodeBody(
        _ body: UnsafeRawBufferPointer, position: LogPosition, version: StreamVersion
    ) throws -> RecordedEvent {
        var types = TypeNameCache()
        return try decodeBody(body, position: position, version: version, types: &types)
    }

    /// Decodes a body, taking the type name from `types` (for decoding many events).
    public static func decodeBody(
        _ body: UnsafeRawBufferPointer, position: LogPosition, version: StreamVersion, types: inout TypeNameCache
    ) throws -> RecordedEvent {
        var reader = BinaryReader(body)
        guard let stream = StreamID(try reader.readString()) else {
            throw BinaryReader.Error(description: "invalid stream name at position \(position)")
        }
        let type = types.name(for: try reader.readLengthPrefixed())
        let timestamp = try reader.readTimestamp()
        let flags = try reader.readByte()
        guard flags & ~0x0F == 0 else { throw BinaryReader.Error(description: "unknown metadata flags \(flags)") }
        var metadata = EventMetadata()
        if flags & correlationFlag != 0 { metadata.correlationID = try reader.readString() }
        if flags & causationFlag != 0 { metadata.causationID = try reader.readString() }
        if flags & actorFlag != 0 { metadata.actor = try reader.readString() }
        if flags & idempotencyFlag != 0 { metadata.idempotencyKey = try reader.readString() }
        return RecordedEvent(
            position: position, stream: stream, version: version, type: type,
            payload: reader.readRemaining(), timestamp: timestamp, metadata: metadata)
    }
}
