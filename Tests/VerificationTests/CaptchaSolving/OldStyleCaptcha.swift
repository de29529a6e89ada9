@testable import Verification

/// The captcha as it was drawn before the stroke font: separate glyphs of a 5x7 bitmap
/// font scaled 4x, jittered, sine-warped, dark ink on a light ground, thin noise lines
/// and dots. Rebuilt here line for line, so the solver can be shown to read it.
enum OldStyleCaptcha {
    static let width = 160
    static let height = 60

    static func pixels<R: RandomNumberGenerator>(_ answer: String, random: inout R) -> [UInt8] {
        let scale = 4
        var ink = [Bool](repeating: false, count: width * height)
        let characters = Array(answer)
        let step = (width - 16) / max(characters.count, 1)
        for (index, character) in characters.enumerated() {
            let left = 8 + index * step + Int.random(in: 0...max(0, step - 5 * scale), using: &random)
            let top = Int.random(in: 6...(height - 7 * scale - 6), using: &random)
            for y in 0..<(7 * scale) {
                for x in 0..<(5 * scale) where BitmapFont.ink(character, x: x / scale, y: y / scale) {
                    let px = left + x
                    let py = top + y
                    if px < width && py < height { ink[py * width + px] = true }
                }
            }
        }
        let amplitudeX = Double.random(in: 2...4, using: &random)
        let amplitudeY = Double.random(in: 2...4, using: &random)
        let phaseX = Double.random(in: 0...6.28, using: &random)
        let phaseY = Double.random(in: 0...6.28, using: &random)
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let sx = x + Int((amplitudeX * CaptchaTrig.sin(Double(y) / 7 + phaseX)).rounded())
                let sy = y + Int((amplitudeY * CaptchaTrig.sin(Double(x) / 11 + phaseY)).rounded())
                let inked = sx >= 0 && sx < width && sy >= 0 && sy < height && ink[sy * width + sx]
                pixels[y * width + x] = inked ? UInt8.random(in: 20...70, using: &random) : UInt8.random(in: 225...250, using: &random)
            }
        }
        for _ in 0..<Int.random(in: 4...6, using: &random) {
            line(&pixels, from: (Int.random(in: 0..<width, using: &random), Int.random(in: 0..<height, using: &random)),
                 to: (Int.random(in: 0..<width, using: &random), Int.random(in: 0..<height, using: &random)),
                 shade: UInt8.random(in: 60...140, using: &random))
        }
        for _ in 0..<Int.random(in: 150...300, using: &random) {
            pixels[Int.random(in: 0..<(width * height), using: &random)] = UInt8.random(in: 0...160, using: &random)
        }
        return pixels
    }

    /// Bresenham's line.
    static func line(_ pixels: inout [UInt8], from a: (Int, Int), to b: (Int, Int), shade: UInt8) {
        var (x, y) = a
        let dx = abs(b.0 - x), sx = x < b.0 ? 1 : -1
        let dy = -abs(b.1 - y), sy = y < b.1 ? 1 : -1
        var error = dx + dy
        while true {
            pixels[y * width + x] = shade
            if x == b.0 && y == b.1 { return }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }

    /// An answer over the old alphabet.
    static func answer<R: RandomNumberGenerator>(random: inout R) -> String {
        String((0..<Int.random(in: 4...6, using: &random)).map { _ in
            BitmapFont.alphabet[Int.random(in: 0..<BitmapFont.alphabet.count, using: &random)]
        })
    }
}
