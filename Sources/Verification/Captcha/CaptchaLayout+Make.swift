extension CaptchaLayout {
    /// Draws a layout for `answer` (characters of `StrokeFont.alphabet`) on a canvas of
    /// `width` x `height` pixels.
    static func make<R: RandomNumberGenerator>(answer: String, width: Int, height: Int, random: inout R) -> CaptchaLayout {
        let pen = Double.random(in: 3.4...4.4, using: &random)
        var glyphs = Array(answer).map { character in
            Glyph(
                character: character,
                center: CaptchaPoint(x: 0, y: Double(height) / 2 + Double.random(in: -5...5, using: &random)),
                angle: Double.random(in: -0.45...0.45, using: &random), scale: Double.random(in: 2.3...2.9, using: &random),
                shade: UInt8.random(in: inkShades, using: &random))
        }
        let overlaps = glyphs.map { _ in Double(Int.random(in: 1...4, using: &random)) }
        let slack = Double.random(in: -1...1, using: &random)
        // Push the glyphs together; shrink them all while the row would not fit.
        let unscaled = glyphs
        for attempt in 0..<4 {
            let shrink = [1, 0.9, 0.81, 0.73][attempt]
            var layout = CaptchaLayout(
                glyphs: unscaled.map { var glyph = $0; glyph.scale *= shrink; return glyph }, pen: pen, strokes: [],
                warp: Warp(amplitudeX: 0, amplitudeY: 0, periodX: 1, periodY: 1, phaseX: 0, phaseY: 0),
                background: 0, gradient: 0, grainSeed: 0)
            let (left, right) = layout.packGlyphs(overlaps: overlaps)
            let room = Double(width - 2 * margin) - (right - left)
            let shift = Double(margin) - left + max(0, room) / 2 * (1 + slack * 0.8)
            glyphs = layout.glyphs.map { var glyph = $0; glyph.center.x += shift; return glyph }
            if room >= 0 { break }
        }
        let strokes = noiseStrokes(glyphs: glyphs, pen: pen, width: width, height: height, random: &random)
        let warp = Warp(
            amplitudeX: Double.random(in: 1.5...3, using: &random), amplitudeY: Double.random(in: 1.5...3, using: &random),
            periodX: Double.random(in: 9...14, using: &random), periodY: Double.random(in: 14...22, using: &random),
            phaseX: Double.random(in: 0...6.28, using: &random), phaseY: Double.random(in: 0...6.28, using: &random))
        return CaptchaLayout(
            glyphs: glyphs, pen: pen, strokes: strokes, warp: warp, background: Double.random(in: 205...235, using: &random),
            gradient: Double.random(in: -20...20, using: &random), grainSeed: random.next())
    }

    /// Places each glyph so its inked rows touch or overlap the previous glyph's by its
    /// `overlaps` pixels; returns the row's left and right ends.
    mutating func packGlyphs(overlaps: [Double]) -> (Double, Double) {
        var previous: [(left: Int, right: Int)?] = []
        var previousTop = 0
        var (left, right) = (Double.infinity, -Double.infinity)
        for index in glyphs.indices {
            var layer = glyphLayer(glyphs[index])
            let extents = layer.rowExtents
            if index > 0 {
                // The smallest gap between this glyph's left edge and the last one's right edge, over shared rows.
                var gap = Int.max
                for (row, extent) in extents.enumerated() {
                    let other = row + layer.top - previousTop
                    guard let extent, other >= 0, other < previous.count, let before = previous[other] else { continue }
                    gap = min(gap, extent.left - before.right)
                }
                if gap == Int.max { gap = (extents.compactMap { $0?.left }.min() ?? 0) - InkLayer.pixel(right, .down) }
                let shift = Double(-gap) - (index < overlaps.count ? overlaps[index] : 1)
                glyphs[index].center.x += shift
                layer = glyphLayer(glyphs[index])
            }
            previous = layer.rowExtents
            previousTop = layer.top
            left = min(left, Double(layer.left))
            right = max(right, Double(layer.left + layer.width))
        }
        return (left.isFinite ? left : 0, right.isFinite ? right : 0)
    }

    /// Noise in the ink's own greys and pen: a long wavy stroke through the row of glyphs,
    /// a thinner one, and short arcs.
    static func noiseStrokes<R: RandomNumberGenerator>(
        glyphs: [Glyph], pen: Double, width: Int, height: Int, random: inout R
    ) -> [Stroke] {
        let first = (glyphs.first?.center.x ?? Double(width) / 2) - 18
        let last = (glyphs.last?.center.x ?? Double(width) / 2) + 18
        var strokes: [Stroke] = []
        for thickness in [pen * Double.random(in: 0.8...1.0, using: &random), Double.random(in: 2.4...3.0, using: &random)] {
            let middle = Double(height) / 2 + Double.random(in: -9...9, using: &random)
            let amplitude = Double.random(in: 3...9, using: &random)
            let period = Double.random(in: 10...22, using: &random)
            let phase = Double.random(in: 0...6.28, using: &random)
            let tilt = Double.random(in: -0.12...0.12, using: &random)
            let start = max(2, first + Double.random(in: -8...8, using: &random))
            let end = min(Double(width - 2), last + Double.random(in: -8...8, using: &random))
            let points = stride(from: start, through: end, by: 3).map { x in
                CaptchaPoint(x: x, y: middle + tilt * (x - Double(width) / 2) + amplitude * CaptchaTrig.sin(x / period + phase))
            }
            strokes.append(Stroke(points: points, thickness: thickness, shade: UInt8.random(in: inkShades, using: &random)))
        }
        for _ in 0..<Int.random(in: 2...3, using: &random) {
            let (low, high) = (min(max(8, first), Double(width - 9)), max(9, min(Double(width - 8), last)))
            let center = CaptchaPoint(
                x: Double.random(in: min(low, high)...max(low, high), using: &random),
                y: Double.random(in: 8...Double(max(9, height - 8)), using: &random))
            let radius = Double.random(in: 5...11, using: &random)
            let from = Double.random(in: 0...360, using: &random)
            let points = CaptchaTrig.arc(
                center: center, rx: radius, ry: radius * Double.random(in: 0.6...1.2, using: &random), from: from,
                to: from + Double.random(in: 50...140, using: &random))
            strokes.append(Stroke(points: points, thickness: pen * Double.random(in: 0.7...0.95, using: &random), shade: UInt8.random(in: inkShades, using: &random)))
        }
        return strokes
    }
}
