import EventFixtures
import EventSourcing
import Testing
@testable import Verification

@Suite struct CaptchaTests {
    @Test func checksumsMatchTheirStandardVectors() {
        #expect(PNGEncoder.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNGEncoder.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNGEncoder.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test func theImageIsAValidGrayscalePNGWithInkAndNoise() throws {
        var random = SplitMix64(seed: 3)
        let issued = CaptchaDecisions.issue(secrets: secrets, now: t0, random: &random)
        #expect((4...6).contains(issued.answer.count))
        #expect(issued.answer.allSatisfy { BitmapFont.alphabet.contains($0) })
        let png = issued.png
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // Walk the chunks, checking each CRC, and inflate the stored blocks of IDAT.
        var offset = 8
        var chunks: [String: [UInt8]] = [:]
        while offset < png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
            let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let data = Array(png[(offset + 8)..<(offset + 8 + length)])
            let crc = png[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(crc == PNGEncoder.crc32(Array(type.utf8) + data), "CRC of \(type)")
            chunks[type] = data
            offset += 12 + length
        }
        let header = try #require(chunks["IHDR"])
        #expect(Array(header.prefix(8)) == [0, 0, 0, 160, 0, 0, 0, 60])
        #expect(Array(header.suffix(5)) == [8, 0, 0, 0, 0])
        let zlib = try #require(chunks["IDAT"])
        var raw = [UInt8]()
        var position = 2
        while true {
            let final = zlib[position] & 1
            let length = Int(zlib[position + 1]) | Int(zlib[position + 2]) << 8
            raw += zlib[(position + 5)..<(position + 5 + length)]
            position += 5 + length
            if final == 1 { break }
        }
        #expect(raw.count == 161 * 60)
        #expect(zlib.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) } == PNGEncoder.adler32(raw))
        let pixels = raw.enumerated().filter { $0.offset % 161 != 0 }.map(\.element)
        let dark = pixels.filter { $0 < 100 }.count
        #expect(dark > 300 && dark < pixels.count / 2, "ink and noise, on a light background: \(dark) dark pixels")
        #expect(chunks["IEND"] == [])
    }

    @Test func eachCaptchaIsCheckedOnceCaseInsensitivelyBeforeItExpires() throws {
        var random = SplitMix64(seed: 4)
        let issued = CaptchaDecisions.issue(secrets: secrets, now: t0, random: &random)
        var model = CaptchasReadModel()
        var position: LogPosition = 1
        func apply(_ append: StreamAppend, version: StreamVersion) throws {
            for event in append.events {
                try model.apply(RecordedEvent(position: position, stream: append.stream, version: version, type: event.type,
                                          payload: event.payload, timestamp: event.timestamp, metadata: .none))
                position += 1
            }
        }
        try apply(issued.append, version: 1)
        let state = model.captcha(issued.id)
        #expect(try CaptchaDecisions.check(answer: issued.answer.lowercased(), state: state, secrets: secrets, now: t0) == .checked(CaptchaChecked(correct: true)))
        #expect(try CaptchaDecisions.check(answer: "WRONG", state: state, secrets: secrets, now: t0) == .checked(CaptchaChecked(correct: false)))
        #expect(throws: VerificationError.expired) {
            try CaptchaDecisions.check(answer: issued.answer, state: state, secrets: secrets, now: t0.adding(seconds: 120))
        }
        try apply(StreamAppend(stream: issued.append.stream, expected: .exactly(1),
                           events: [CaptchaEvent.checked(CaptchaChecked(correct: false)).newEvent(at: t0)]), version: 2)
        #expect(throws: VerificationError.notFound) {
            try CaptchaDecisions.check(answer: issued.answer, state: model.captcha(issued.id), secrets: secrets, now: t0)
        }
        #expect(try CaptchasReadModel(snapshot: model.snapshot()).digest == model.digest)
        // The answer is stored only as a keyed hash.
        #expect(!issued.append.events[0].payload.contains(subsequence: Array(issued.answer.utf8)))
    }
}
