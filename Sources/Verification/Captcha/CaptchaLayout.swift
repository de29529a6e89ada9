/// Everything random about one captcha, drawn once from the decision's random source:
/// each glyph's place, turn, size and grey, the noise strokes, the warp and the
/// background. `CaptchaImage` renders a layout without drawing anything more from the
/// random source, so the same random values always give the same image.
///
/// Glyphs are placed so that each touches or overlaps the one before it (their inked
/// rows are pushed together until they share 1-4 pixels): a reader sees letters, a
/// machine sees one blob. The noise strokes are drawn with the glyphs' own pen and
/// greys, so no threshold and no small filter tells them apart.
struct CaptchaLayout: Sendable {
    struct Glyph: Sendable {
        var character: Character
        /// The centre of the glyph's box on the canvas.
        var center: CaptchaPoint
        /// Radians, clockwise on screen.
        var angle: Double
        /// Pixels per font unit (the box is 10 x 14 units).
        var scale: Double
        var shade: UInt8
    }

    struct Stroke: Sendable {
        var points: [CaptchaPoint]
        var thickness: Double
        var shade: UInt8
    }

    /// A sine displacement of the whole image: `x` moves with `y` and `y` with `x`.
    struct Warp: Sendable {
        var amplitudeX, amplitudeY, periodX, periodY, phaseX, phaseY: Double
    }

    var glyphs: [Glyph]
    /// The glyphs' pen, in pixels.
    var pen: Double
    var strokes: [Stroke]
    var warp: Warp
    /// Background grey at the left edge and its change across the image.
    var background: Double
    var gradient: Double
    /// Seeds the per-pixel grain and the specks.
    var grainSeed: UInt64

    static let inkShades: ClosedRange<UInt8> = 40...110
    static let margin = 6

    /// The glyphs as ink on the canvas.
    func glyphLayer(_ glyph: Glyph) -> InkLayer {
        InkLayer(
            segments: StrokeFont.segments(glyph.character, center: glyph.center, scale: glyph.scale, angle: glyph.angle),
            thickness: pen)
    }

    func strokeLayer(_ stroke: Stroke) -> InkLayer {
        InkLayer(segments: Array(zip(stroke.points, stroke.points.dropFirst())), thickness: stroke.thickness)
    }
}
