import EventSourcing
import Testing

@Suite struct BinaryCodingTests {
    @Test func valuesRoundTrip() throws {
        var writer = BinaryWriter()
        let unsigned: [UInt64] = [0, 1, 127, 128, 300, 1 << 35, .max]
        let signed: [Int64] = [0, -1, 1, .min, .max, -1_790_000_000_000]
        for value in unsigned { writer.write(value) }
        for value in signed { writer.write(value) }
        writer.write("héllo 世界")
        writer.write(nil as String?)
        writer.write("x" as String?)
        writer.write([0, 255, 7] as [UInt8])
        writer.write(true)
        writer.write(Timestamp(millisecondsSince1970: 1_790_000_000_123))
        try BinaryReader.read(writer.bytes) { (reader: inout BinaryReader) throws in
            for value in unsigned { #expect(try reader.readUInt64() == value) }
            for value in signed { #expect(try reader.readInt64() == value) }
            #expect(try reader.readString() == "héllo 世界")
            #expect(try reader.readOptionalString() == nil)
            #expect(try reader.readOptionalString() == "x")
            #expect(try reader.readBytes() == [0, 255, 7])
            #expect(try reader.readBool())
            #expect(try reader.readTimestamp().millisecondsSince1970 == 1_790_000_000_123)
            #expect(reader.isAtEnd)
        }
    }

    @Test func truncatedAndMalformedInputThrows() {
        #expect(throws: BinaryReader.Error.self) { try BinaryReader.read([0x80]) { try $0.readUInt64() } }
        #expect(throws: BinaryReader.Error.self) { try BinaryReader.read([5, 65]) { try $0.readString() } }
        #expect(throws: BinaryReader.Error.self) { try BinaryReader.read([2]) { try $0.readBool() } }
        let overlong = [UInt8](repeating: 0xFF, count: 10) + [0x7F]
        #expect(throws: BinaryReader.Error.self) { try BinaryReader.read(overlong) { try $0.readUInt64() } }
    }

    @Test func equalValuesGiveEqualBytes() {
        func encode() -> [UInt8] {
            var writer = BinaryWriter()
            writer.write("stream")
            writer.write(UInt64(42))
            return writer.bytes
        }
        #expect(encode() == encode())
    }
}

@Test func hexStringIsLowerCaseTwoDigitsPerByte() {
    #expect([UInt8]().hexString == "")
    #expect(([0x00, 0x01, 0x0f, 0x10, 0xab, 0xff] as [UInt8]).hexString == "00010f10abff")
    #expect((0...255).map { UInt8($0) }.hexString.count == 512)
}
