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
        #expect(issued.answer.allSatisfy { StrokeFont.alphabet.contains($0) })
        // Every chunk's CRC, the stored blocks and the Adler-32 are checked on the way.
        let image = try StoredPNG.decode(issued.png)
        #expect(image.width == CaptchaImage.width && image.height == CaptchaImage.height)
        #expect(issued.png.count < 16 * 1024, "bounded: \(issued.png.count) bytes")
        let dark = image.pixels.filter { $0 < 130 }.count
        #expect(dark > 600 && dark < image.pixels.count / 2, "ink and noise, on a light background: \(dark) dark pixels")
        #expect(image.pixels.filter { $0 > 180 }.count > image.pixels.count / 2)
    }

    @Test func theAlphabetHasNoLookAlikes() {
        let alphabet = Set(StrokeFont.alphabet)
        for pair in ["O0", "0D", "OQ", "I1", "1L", "IL", "S5", "Z2", "B8", "G6", "GC", "UV", "EF"] {
            #expect(!Set(pair).isSubset(of: alphabet), "\(pair) are both in the alphabet")
        }
        #expect(alphabet.count == StrokeFont.alphabet.count && alphabet.count >= 20)
        #expect(alphabet.allSatisfy { StrokeFont.glyphs[$0] != nil })
    }

    /// Issue 15 item 7: no threshold separates noise from ink, and no single template fits
    /// every glyph. Noise strokes use the glyphs' greys and (for the first one and the
    /// arcs) their pen width; each glyph is turned and scaled on its own.
    @Test func noiseSharesTheInksGreysAndEachGlyphIsTurnedAndScaledOnItsOwn() {
        var random = SplitMix64(seed: 41)
        var (glyphShades, noiseShades) = (Set<UInt8>(), Set<UInt8>())
        var (angles, scales) = ([Double](), [Double]())
        for _ in 0..<100 {
            let answer = String((0..<Int.random(in: 4...6, using: &random)).map { _ in StrokeFont.alphabet.randomElement(using: &random) ?? "A" })
            let layout = CaptchaLayout.make(answer: answer, width: CaptchaImage.width, height: CaptchaImage.height, random: &random)
            #expect(layout.strokes.count >= 4, "two long strokes and at least two arcs")
            for stroke in layout.strokes {
                #expect(CaptchaLayout.inkShades.contains(stroke.shade), "noise in the ink's greys")
                #expect(stroke.thickness >= 2.3 && stroke.thickness <= layout.pen, "noise as thick as a thin glyph stroke, never a hairline")
            }
            #expect(Set(layout.glyphs.map(\.angle)).count == layout.glyphs.count, "a turn per glyph")
            #expect(Set(layout.glyphs.map(\.scale)).count == layout.glyphs.count, "a size per glyph")
            glyphShades.formUnion(layout.glyphs.map(\.shade))
            noiseShades.formUnion(layout.strokes.map(\.shade))
            angles += layout.glyphs.map(\.angle)
            scales += layout.glyphs.map(\.scale)
        }
        // Over many captchas the noise covers the same greys as the ink, end to end.
        #expect(noiseShades.min() ?? 255 <= (glyphShades.min() ?? 0) + 5 && noiseShades.max() ?? 0 >= (glyphShades.max() ?? 255) - 5)
        #expect((angles.min() ?? 0) < -0.35 && (angles.max() ?? 0) > 0.35, "turned both ways")
        #expect((scales.max() ?? 0) / (scales.min() ?? 1) > 1.2, "sizes differ by more than a fifth")
    }

    @Test func thePNGEncoderNeverTraps() throws {
        let short = try StoredPNG.decode(PNGEncoder.grayscale(width: 3, height: 2, pixels: [1, 2]))
        #expect(short.pixels == [1, 2, 255, 255, 255, 255])
        let long = try StoredPNG.decode(PNGEncoder.grayscale(width: 1, height: 1, pixels: [7, 8, 9]))
        #expect(long.pixels == [7])
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
