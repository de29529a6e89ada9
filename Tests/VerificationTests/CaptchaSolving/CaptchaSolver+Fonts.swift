import EventFixtures
@testable import Verification

extension CaptchaSolver {
    /// Against the old captchas: the 5x7 bitmap font at 4x, as they drew it, and 20
    /// warped, noisy samples of each glyph from the old renderer.
    static let bitmapFont: CaptchaSolver = {
        let font = CaptchaSolver(
            cellsWide: 10, cellsHigh: 14, glyphWidth: 20, minimumArea: 30,
            glyphs: BitmapFont.alphabet.map { character in
                var pixels: [(Int, Int)] = []
                for y in 0..<28 { for x in 0..<20 where BitmapFont.ink(character, x: x / 4, y: y / 4) { pixels.append((x, y)) } }
                return (character, pixels)
            })
        var random = SplitMix64(seed: 0x01D)
        return font.learning(from: BitmapFont.alphabet.flatMap { character in
            (0..<20).map { _ in
                (character, OldStyleCaptcha.pixels(String(character), random: &random), OldStyleCaptcha.width, OldStyleCaptcha.height)
            }
        })
    }()

    /// Against the new captchas, knowing their font and renderer: the stroke font's glyphs
    /// upright and turned as far as the captchas turn them, and 20 samples of each glyph
    /// drawn alone by the captcha's own renderer (turned, scaled, warped, with noise).
    static let strokeFont: CaptchaSolver = {
        let font = CaptchaSolver(
            cellsWide: 10, cellsHigh: 14, glyphWidth: 10 * 2.6 + 3.9, minimumArea: 30,
            glyphs: StrokeFont.alphabet.flatMap { character in
                [-0.4, -0.2, 0, 0.2, 0.4].map { angle in
                    let layer = InkLayer(
                        segments: StrokeFont.segments(character, center: CaptchaPoint(x: 60, y: 60), scale: 2.6, angle: angle),
                        thickness: 3.9)
                    var pixels: [(Int, Int)] = []
                    for y in layer.top..<(layer.top + layer.height) {
                        for x in layer.left..<(layer.left + layer.width) where layer.ink(x: x, y: y) >= 0.5 { pixels.append((x, y)) }
                    }
                    return (character, pixels)
                }
            })
        var random = SplitMix64(seed: 0x5EED)
        return font.learning(from: StrokeFont.alphabet.flatMap { character in
            (0..<20).map { _ in
                let layout = CaptchaLayout.make(answer: String(character), width: CaptchaImage.width, height: CaptchaImage.height, random: &random)
                return (character, CaptchaImage.pixels(layout), CaptchaImage.width, CaptchaImage.height)
            }
        })
    }()
}
