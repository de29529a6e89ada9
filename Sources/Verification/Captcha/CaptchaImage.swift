/// Draws a captcha: touching, turned and scaled glyphs of `StrokeFont`, noise strokes
/// in the glyphs' own pen and greys, a sine warp, a shaded and grainy background.
/// Pure: the same answer and random source give the same image.
///
/// About 0.2 ms of rendering per image and a 14 KB PNG (stored deflate blocks), so it
/// runs inline on the request's task like the JSON around it.
public enum CaptchaImage {
    public static let width = 200
    public static let height = 70

    /// The PNG for `answer` (characters of `StrokeFont.alphabet`).
    public static func render<R: RandomNumberGenerator>(_ answer: String, random: inout R) -> [UInt8] {
        let layout = CaptchaLayout.make(answer: answer, width: width, height: height, random: &random)
        return PNGEncoder.grayscale(width: width, height: height, pixels: pixels(layout))
    }

    /// The grey pixels of `layout`, row by row; with `noise` false, only the glyphs on a
    /// plain background (what a reader is meant to see, for the readability tests).
    static func pixels(_ layout: CaptchaLayout, noise: Bool = true) -> [UInt8] {
        var canvas = [Double](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                canvas[y * width + x] = noise ? layout.background + layout.gradient * Double(x) / Double(width) : 235
            }
        }
        var layers = layout.glyphs.map { (layout.glyphLayer($0), $0.shade) }
        if noise { layers += layout.strokes.map { (layout.strokeLayer($0), $0.shade) } }
        for (layer, shade) in layers {
            let (y0, y1) = (max(0, layer.top), min(height, layer.top + layer.height))
            let (x0, x1) = (max(0, layer.left), min(width, layer.left + layer.width))
            guard y0 < y1, x0 < x1 else { continue }
            for y in y0..<y1 {
                for x in x0..<x1 {
                    let ink = Double(layer.ink(x: x, y: y))
                    if ink > 0 { canvas[y * width + x] = canvas[y * width + x] * (1 - ink) + Double(shade) * ink }
                }
            }
        }
        var pixels = warped(canvas, layout.warp)
        if noise { addGrain(&pixels, seed: layout.grainSeed) }
        return pixels
    }

    /// Each pixel sampled (bilinearly) a sine wave away.
    static func warped(_ canvas: [Double], _ warp: CaptchaLayout.Warp) -> [UInt8] {
        func at(_ x: Int, _ y: Int) -> Double { canvas[min(height - 1, max(0, y)) * width + min(width - 1, max(0, x))] }
        var pixels = [UInt8](repeating: 255, count: width * height)
        for y in 0..<height {
            let dx = warp.amplitudeX * CaptchaTrig.sin(Double(y) / warp.periodX + warp.phaseX)
            for x in 0..<width {
                let dy = warp.amplitudeY * CaptchaTrig.sin(Double(x) / warp.periodY + warp.phaseY)
                let (sx, sy) = (Double(x) + dx, Double(y) + dy)
                let (fx, fy) = (sx.rounded(.down), sy.rounded(.down))
                let (ix, iy) = (Int(fx), Int(fy))
                let (tx, ty) = (sx - fx, sy - fy)
                let top = at(ix, iy) * (1 - tx) + at(ix + 1, iy) * tx
                let bottom = at(ix, iy + 1) * (1 - tx) + at(ix + 1, iy + 1) * tx
                pixels[y * width + x] = UInt8(min(255, max(0, top * (1 - ty) + bottom * ty)).rounded())
            }
        }
        return pixels
    }

    /// Grain on every pixel (±10) and specks in the ink's greys.
    static func addGrain(_ pixels: inout [UInt8], seed: UInt64) {
        var state = seed
        func next() -> UInt64 {
            // SplitMix64: a fixed generator, so the grain is part of the deterministic image.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for index in pixels.indices {
            pixels[index] = UInt8(max(0, min(255, Int(pixels[index]) + Int(next() % 21) - 10)))
        }
        let shades = CaptchaLayout.inkShades
        for _ in 0..<(120 + Int(next() % 80)) {
            let index = Int(next() % UInt64(pixels.count))
            pixels[index] = shades.lowerBound + UInt8(next() % UInt64(shades.upperBound - shades.lowerBound + 1))
        }
    }
}
