/// Thick strokes drawn with a round pen, anti-aliased: how much of each pixel the ink
/// covers (0...1), over the strokes' bounding box on the canvas.
struct InkLayer: Sendable {
    /// The canvas position of the layer's first pixel.
    var left: Int
    var top: Int
    let width: Int
    let height: Int
    private(set) var coverage: [Float]

    /// The segments inked with a pen `thickness` pixels wide.
    init(segments: [(CaptchaPoint, CaptchaPoint)], thickness: Double) {
        let radius = max(0.5, thickness / 2)
        let xs = segments.flatMap { [$0.0.x, $0.1.x] }
        let ys = segments.flatMap { [$0.0.y, $0.1.y] }
        let minX = Self.pixel((xs.min() ?? 0) - radius - 1, .down)
        let minY = Self.pixel((ys.min() ?? 0) - radius - 1, .down)
        let maxX = Self.pixel((xs.max() ?? 0) + radius + 1, .up).clamped(to: minX...(minX + 1024))
        let maxY = Self.pixel((ys.max() ?? 0) + radius + 1, .up).clamped(to: minY...(minY + 1024))
        (left, top, width, height) = (minX, minY, maxX - minX + 1, maxY - minY + 1)
        coverage = [Float](repeating: 0, count: width * height)
        for (a, b) in segments { stroke(a, b, radius: radius) }
    }

    /// Ink of one segment: coverage falls from 1 to 0 across the pen's edge.
    private mutating func stroke(_ a: CaptchaPoint, _ b: CaptchaPoint, radius: Double) {
        let x0 = max(0, Self.pixel(min(a.x, b.x) - radius - 1, .down) - left)
        let x1 = min(width - 1, Self.pixel(max(a.x, b.x) + radius + 1, .up) - left)
        let y0 = max(0, Self.pixel(min(a.y, b.y) - radius - 1, .down) - top)
        let y1 = min(height - 1, Self.pixel(max(a.y, b.y) + radius + 1, .up) - top)
        guard x0 <= x1, y0 <= y1 else { return }
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        let length2 = dx * dx + dy * dy
        for y in y0...y1 {
            let py = Double(y + top) + 0.5
            for x in x0...x1 {
                let px = Double(x + left) + 0.5
                let t = length2 > 0 ? min(1, max(0, ((px - a.x) * dx + (py - a.y) * dy) / length2)) : 0
                let (ex, ey) = (px - a.x - t * dx, py - a.y - t * dy)
                let ink = Float(min(1, max(0, radius + 0.5 - (ex * ex + ey * ey).squareRoot())))
                if ink > coverage[y * width + x] { coverage[y * width + x] = ink }
            }
        }
    }

    /// `value` rounded to a pixel index, kept within ±4096 (never a trap, even for NaN).
    static func pixel(_ value: Double, _ rule: FloatingPointRoundingRule) -> Int {
        guard value.isFinite else { return 0 }
        return Int(min(4096, max(-4096, value)).rounded(rule))
    }

    /// The coverage at canvas pixel (`x`, `y`); 0 outside the layer.
    func ink(x: Int, y: Int) -> Float {
        let (lx, ly) = (x - left, y - top)
        guard lx >= 0, ly >= 0, lx < width, ly < height else { return 0 }
        return coverage[ly * width + lx]
    }

    /// Per row of the canvas (`top` ..< `top + height`), the leftmost and rightmost
    /// column with at least half a pixel of ink; nil for a row without.
    var rowExtents: [(left: Int, right: Int)?] {
        (0..<height).map { y in
            let row = coverage[(y * width)..<((y + 1) * width)]
            guard let first = row.firstIndex(where: { $0 >= 0.5 }), let last = row.lastIndex(where: { $0 >= 0.5 }) else { return nil }
            return (first - y * width + left, last - y * width + left)
        }
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
