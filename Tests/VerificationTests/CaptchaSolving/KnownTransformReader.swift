@testable import Verification

/// The readability check: reads an ink-only rendering (no noise strokes, grain or
/// gradient; warp kept) glyph by glyph, knowing each glyph's place, turn and size but not
/// its character. For each glyph it draws every character of the alphabet there, and
/// picks the one whose ink agrees best (intersection over union) with the image's ink in
/// the area those drawings cover. If turning, scaling, warping and overlapping made two
/// characters look alike, it would pick wrong.
enum KnownTransformReader {
    static func read(_ layout: CaptchaLayout) -> String {
        let image = CaptchaImage.pixels(layout, noise: false).map { $0 < 160 }
        return String(layout.glyphs.map { glyph in
            let candidates = StrokeFont.alphabet.map { character -> (Character, [Bool]) in
                var alone = layout
                alone.glyphs = [glyph]
                alone.glyphs[0].character = character
                return (character, CaptchaImage.pixels(alone, noise: false).map { $0 < 160 })
            }
            var area = [Bool](repeating: false, count: image.count)
            for (_, ink) in candidates { for index in ink.indices where ink[index] { area[index] = true } }
            var (best, score) = (Character("?"), -1.0)
            for (character, ink) in candidates {
                var (both, either) = (0, 0)
                for index in area.indices where area[index] {
                    if ink[index] && image[index] { both += 1 }
                    if ink[index] || image[index] { either += 1 }
                }
                let union = Double(both) / Double(max(1, either))
                if union > score { (best, score) = (character, union) }
            }
            return best
        })
    }
}
