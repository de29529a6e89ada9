import Testing
import Zstd

@Suite struct ZstdTests {
    let samples: [[UInt8]] = (0..<2000).map { i in
        Array("{\"type\":\"verification.code-issued.v1\",\"to\":\"+86137\(10_000_000 + i * 7919 % 89_999_999)\",\"operation\":\"register\",\"n\":\(i)}".utf8)
    }

    func roundTrip(_ input: [UInt8], dictionary: ZstdDictionary?) throws -> (frame: [UInt8], output: [UInt8]) {
        var frame = [UInt8]()
        try input.withUnsafeBytes { try ZstdCompressor().compress($0, appendingTo: &frame, dictionary: dictionary) }
        let output = try frame.withUnsafeBytes { try ZstdDecompressor().decompress($0, dictionary: dictionary) }
        return (frame, output)
    }

    @Test func framesRoundTripWithAndWithoutADictionary() throws {
        let dictionary = try ZstdDictionary(bytes: try ZstdDictionaryTrainer.train(samples: samples, capacity: 4096))
        for input in [samples[5], [], Array(repeating: 0, count: 100_000)] {
            #expect(try roundTrip(input, dictionary: nil).output == input)
            #expect(try roundTrip(input, dictionary: dictionary).output == input)
        }
    }

    @Test func aTrainedDictionaryShrinksSmallRecords() throws {
        let dictionary = try ZstdDictionary(bytes: try ZstdDictionaryTrainer.train(samples: samples, capacity: 4096))
        let plain = try samples.suffix(100).map { try roundTrip($0, dictionary: nil).frame.count }.reduce(0, +)
        let trained = try samples.suffix(100).map { try roundTrip($0, dictionary: dictionary).frame.count }.reduce(0, +)
        #expect(Double(trained) < Double(plain) * 0.6, "\(plain) -> \(trained)")
    }

    @Test func framesAreMagiclessAndBecomeStandardWithTheMagicPrepended() throws {
        let frame = try roundTrip(samples[0], dictionary: nil).frame
        #expect(Array(frame.prefix(4)) != [0x28, 0xB5, 0x2F, 0xFD])
        // What ARCHITECTURE.md tells other languages to do: prepend the magic, then any zstd decoder works.
        #expect(try StandardZstd.decompress([0x28, 0xB5, 0x2F, 0xFD] + frame) == samples[0])
    }

    @Test func corruptFramesThrow() throws {
        var frame = try roundTrip(samples[0], dictionary: nil).frame
        frame.removeLast(3)
        #expect(throws: (any Error).self) { try frame.withUnsafeBytes { try ZstdDecompressor().decompress($0, dictionary: nil) } }
        #expect(throws: (any Error).self) { try [UInt8]([1, 2]).withUnsafeBytes { try ZstdDecompressor().decompress($0, dictionary: nil) } }
    }

    @Test func tooFewSamplesAreRefused() {
        #expect(throws: ZstdError.self) { try ZstdDictionaryTrainer.train(samples: [[1, 2, 3]]) }
    }
}
