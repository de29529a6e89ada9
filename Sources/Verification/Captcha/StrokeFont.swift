/// The captcha's glyphs as pen strokes (polylines) in a box 10 units wide and 14 high,
/// y down. Drawn with a thick round pen they stay smooth when rotated and scaled.
///
/// The alphabet leaves out one or both of every pair a reader (or a distortion) could
/// confuse: O/0/Q (only D of the round ones), I/1/L, S/5, Z/2, B/8, G/6/C, U/V, E/F.
enum StrokeFont {
    static let alphabet = Array("ACDEHJKMNPRTUWXY34679")
    static let width = 10.0
    static let height = 14.0

    static let glyphs: [Character: [[CaptchaPoint]]] = {
        func p(_ x: Double, _ y: Double) -> CaptchaPoint { CaptchaPoint(x: x, y: y) }
        func arc(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, _ from: Double, _ to: Double) -> [CaptchaPoint] {
            CaptchaTrig.arc(center: p(cx, cy), rx: rx, ry: ry, from: from, to: to)
        }
        let bowlP = [p(0, 14), p(0, 0), p(5.5, 0)] + arc(5.5, 3.75, 4.5, 3.75, 270, 450) + [p(0, 7.5)]
        return [
            "A": [[p(0, 14), p(5, 0), p(10, 14)], [p(2.2, 9), p(7.8, 9)]],
            "C": [arc(5.5, 7, 5, 7, 315, 45)],
            "D": [[p(0, 0), p(4, 0)] + arc(4, 7, 6, 7, 270, 450) + [p(0, 14), p(0, 0)]],
            "E": [[p(10, 0), p(0, 0), p(0, 14), p(10, 14)], [p(0, 7), p(7.5, 7)]],
            "H": [[p(0, 0), p(0, 14)], [p(10, 0), p(10, 14)], [p(0, 7), p(10, 7)]],
            "J": [[p(3, 0), p(10, 0)], [p(8, 0)] + arc(4, 10, 4, 4, 0, 180)],
            "K": [[p(0, 0), p(0, 14)], [p(10, 0), p(0, 9)], [p(3.5, 6.2), p(10, 14)]],
            "M": [[p(0, 14), p(0, 0), p(5, 9), p(10, 0), p(10, 14)]],
            "N": [[p(0, 14), p(0, 0), p(10, 14), p(10, 0)]],
            "P": [bowlP],
            "R": [bowlP, [p(5, 7.5), p(10, 14)]],
            "T": [[p(0, 0), p(10, 0)], [p(5, 0), p(5, 14)]],
            "U": [[p(0, 0)] + arc(5, 9, 5, 5, 180, 0) + [p(10, 0)]],
            "W": [[p(0, 0), p(2.5, 14), p(5, 4), p(7.5, 14), p(10, 0)]],
            "X": [[p(0, 0), p(10, 14)], [p(10, 0), p(0, 14)]],
            "Y": [[p(0, 0), p(5, 7.5), p(10, 0)], [p(5, 7.5), p(5, 14)]],
            "3": [arc(5, 3.6, 4.6, 3.6, 200, 450), arc(5, 10.5, 5, 3.5, 270, 520)],
            "4": [[p(7.5, 14), p(7.5, 0), p(0, 10), p(10, 10)]],
            "6": [arc(5, 9.5, 5, 4.5, 0, 360), arc(9, 9.5, 9, 9.5, 180, 270)],
            "7": [[p(0, 0), p(10, 0), p(4, 14)]],
            "9": [arc(5, 4.5, 5, 4.5, 0, 360), arc(1, 4.5, 9, 9.5, 0, 90)],
        ]
    }()

    /// The strokes of `character` as segments on the canvas: the glyph's box centred on
    /// `center`, `scale` pixels per unit, turned by `angle` radians.
    static func segments(
        _ character: Character, center: CaptchaPoint, scale: Double, angle: Double
    ) -> [(CaptchaPoint, CaptchaPoint)] {
        let (c, s) = (CaptchaTrig.cos(angle), CaptchaTrig.sin(angle))
        func place(_ point: CaptchaPoint) -> CaptchaPoint {
            let (x, y) = ((point.x - width / 2) * scale, (point.y - height / 2) * scale)
            return CaptchaPoint(x: center.x + x * c - y * s, y: center.y + x * s + y * c)
        }
        return (glyphs[character] ?? []).flatMap { line in
            zip(line, line.dropFirst()).map { (place($0), place($1)) }
        }
    }
}
