@testable import Verification

/// Reads back what `PNGEncoder` writes (8-bit grey, stored deflate blocks, filter 0),
/// checking every chunk's CRC and the zlib stream's Adler-32 on the way.
enum StoredPNG {
    struct Image {
        let width: Int
        let height: Int
        let pixels: [UInt8]
    }

    struct Malformed: Error { let reason: String }

    static func decode(_ png: [UInt8]) throws -> Image {
        guard png.count > 8, Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
            throw Malformed(reason: "signature")
        }
        var offset = 8
        var chunks: [String: [UInt8]] = [:]
        func number(_ at: Int) -> Int { Int(png[at]) << 24 | Int(png[at + 1]) << 16 | Int(png[at + 2]) << 8 | Int(png[at + 3]) }
        while offset + 12 <= png.count {
            let length = number(offset)
            guard offset + 12 + length <= png.count else { throw Malformed(reason: "chunk length") }
            let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let data = Array(png[(offset + 8)..<(offset + 8 + length)])
            guard UInt32(number(offset + 8 + length)) == PNGEncoder.crc32(Array(type.utf8) + data) else { throw Malformed(reason: "CRC of \(type)") }
            chunks[type] = data
            offset += 12 + length
        }
        guard let header = chunks["IHDR"], header.count == 13, Array(header.suffix(5)) == [8, 0, 0, 0, 0],
            let zlib = chunks["IDAT"], chunks["IEND"] == []
        else { throw Malformed(reason: "chunks") }
        let width = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        let height = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
        var raw = [UInt8]()
        var position = 2
        while position + 5 <= zlib.count {
            let final = zlib[position] & 1
            let length = Int(zlib[position + 1]) | Int(zlib[position + 2]) << 8
            guard position + 5 + length <= zlib.count else { throw Malformed(reason: "block length") }
            raw += zlib[(position + 5)..<(position + 5 + length)]
            position += 5 + length
            if final == 1 { break }
        }
        guard raw.count == (width + 1) * height, zlib.count >= 4,
            zlib.suffix(4).reduce(UInt32(0), { $0 << 8 | UInt32($1) }) == PNGEncoder.adler32(raw)
        else { throw Malformed(reason: "image data") }
        let pixels = raw.enumerated().filter { $0.offset % (width + 1) != 0 }.map(\.element)
        return Image(width: width, height: height, pixels: pixels)
    }
}
