/// A point on the captcha's canvas (pixels, y down) or in a glyph's box (font units).
struct CaptchaPoint: Hashable, Sendable {
    var x: Double
    var y: Double
}

/// Sine and cosine from a polynomial after range reduction: Foundation-free, so a
/// captcha drawn from the same random values is the same image on every platform.
enum CaptchaTrig {
    static func sin(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        var v = value.truncatingRemainder(dividingBy: 2 * .pi)
        if v > .pi { v -= 2 * .pi } else if v < -.pi { v += 2 * .pi }
        // sin(π - v) = sin(v): fold into [-π/2, π/2], where the series converges fast.
        if v > .pi / 2 { v = .pi - v } else if v < -.pi / 2 { v = -.pi - v }
        let v2 = v * v
        return v * (1 - v2 / 6 * (1 - v2 / 20 * (1 - v2 / 42 * (1 - v2 / 72 * (1 - v2 / 110 * (1 - v2 / 156))))))
    }

    static func cos(_ value: Double) -> Double { sin(value + .pi / 2) }

    /// Points along an ellipse's arc from `from` to `to` degrees (0 is +x, 90 is down),
    /// one every `step` degrees or closer.
    static func arc(
        center: CaptchaPoint, rx: Double, ry: Double, from: Double, to: Double, step: Double = 15
    ) -> [CaptchaPoint] {
        let count = max(1, Int((abs(to - from) / step).rounded(.up)))
        return (0...count).map { index in
            let radians = (from + (to - from) * Double(index) / Double(count)) * .pi / 180
            return CaptchaPoint(x: center.x + rx * cos(radians), y: center.y + ry * sin(radians))
        }
    }
}
