/// A small classic captcha solver, the kind the old captcha fell to: Otsu's threshold, a
/// 3x3 majority filter (removes thin lines and dots), connected components with small ones
/// dropped, parts of one glyph joined, wide components split at their emptiest columns
/// near equal widths, and each piece matched on a coarse grid of ink fractions against a font's
/// glyphs (optionally turned) and against samples of single glyphs the captcha's own
/// renderer drew (`learning(from:)`): nearest neighbour over all of them.
struct CaptchaSolver {
    struct Template {
        let character: Character
        let cells: [Double]
    }

    /// The matching grid.
    let cellsWide: Int
    let cellsHigh: Int
    /// A glyph's width in pixels as the captcha draws it (known from its font), to tell
    /// how many glyphs a wide component holds.
    let glyphWidth: Double
    /// Components smaller than this are noise.
    let minimumArea: Int
    private(set) var templates: [Template] = []

    /// A solver whose templates are `glyphs`' ink (pixel lists).
    init(cellsWide: Int, cellsHigh: Int, glyphWidth: Double, minimumArea: Int, glyphs: [(Character, [(Int, Int)])]) {
        (self.cellsWide, self.cellsHigh, self.glyphWidth, self.minimumArea) = (cellsWide, cellsHigh, glyphWidth, minimumArea)
        templates = glyphs.map { Template(character: $0.0, cells: cells($0.1)) }
    }

    /// This solver with more templates: each sample image of one known character (drawn by
    /// the captcha's own renderer, as an attacker with its source would) cleaned up and
    /// cut like a captcha, its biggest piece kept. Matching then takes the nearest of all.
    func learning(from samples: [(character: Character, greys: [UInt8], width: Int, height: Int)]) -> CaptchaSolver {
        var solver = self
        for sample in samples {
            guard let biggest = pieces(sample.greys, width: sample.width, height: sample.height).max(by: { $0.count < $1.count })
            else { continue }
            solver.templates.append(Template(character: sample.character, cells: cells(biggest)))
        }
        return solver
    }

    /// What it read, left to right.
    func read(_ greys: [UInt8], width: Int, height: Int) -> String {
        String(pieces(greys, width: width, height: height).map(best))
    }

    /// The pieces to match, left to right: the ink left after the threshold and the
    /// majority filter, as connected components (small ones dropped), parts of one glyph
    /// (components stacked over the same columns) joined, and components wider than a
    /// glyph split at their emptiest columns near equal widths.
    func pieces(_ greys: [UInt8], width: Int, height: Int) -> [[(Int, Int)]] {
        let clean = Bitmap(greys: greys, width: width, height: height, threshold: Bitmap.otsu(greys)).majority()
        let components = clean.components().filter { $0.count >= minimumArea }.map { component in
            component.map { ($0 % width, $0 / width) }
        }
        let glyphWidth = self.glyphWidth
        var joined: [(span: ClosedRange<Int>, pixels: [(Int, Int)])] = []
        for pixels in components.sorted(by: { ($0.map(\.0).min() ?? 0) < ($1.map(\.0).min() ?? 0) }) {
            let span = (pixels.map(\.0).min() ?? 0)...(pixels.map(\.0).max() ?? 0)
            if let last = joined.last {
                let union = min(last.span.lowerBound, span.lowerBound)...max(last.span.upperBound, span.upperBound)
                let inside = span.upperBound <= last.span.upperBound
                let near = span.lowerBound <= last.span.upperBound + 2
                if inside || (near && Double(union.count) <= 1.3 * glyphWidth) {
                    joined[joined.count - 1] = (union, last.pixels + pixels)
                    continue
                }
            }
            joined.append((span, pixels))
        }
        return joined.flatMap { split($0.pixels, span: $0.span, glyphWidth: glyphWidth) }.filter { !$0.isEmpty }
    }

    /// `pixels` cut into as many glyph-wide pieces as their width holds, each cut at the
    /// emptiest column within a quarter glyph of where equal widths would put it.
    func split(_ pixels: [(Int, Int)], span: ClosedRange<Int>, glyphWidth: Double) -> [[(Int, Int)]] {
        let parts = max(1, Int((Double(span.count) / glyphWidth).rounded()))
        guard parts > 1 else { return [pixels] }
        var columns = [Int](repeating: 0, count: span.count)
        for (x, _) in pixels { columns[x - span.lowerBound] += 1 }
        var cuts: [Int] = []
        var from = span.lowerBound
        for part in 1..<parts {
            let nominal = span.lowerBound + span.count * part / parts
            let reach = max(1, span.count / parts / 4)
            let window = max(from + 1, nominal - reach)...max(from + 1, min(span.upperBound, nominal + reach))
            let cut = window.min { columns[$0 - span.lowerBound] < columns[$1 - span.lowerBound] } ?? nominal
            cuts.append(cut)
            from = cut
        }
        let bounds = [span.lowerBound] + cuts + [span.upperBound + 1]
        return zip(bounds, bounds.dropFirst()).map { lower, upper in pixels.filter { $0.0 >= lower && $0.0 < upper } }
    }

    /// The template closest to `piece` (sum of squared differences of the grids).
    func best(_ piece: [(Int, Int)]) -> Character {
        let cells = cells(piece)
        var (best, score) = (Character("?"), Double.infinity)
        for template in templates {
            var distance = 0.0
            for index in cells.indices { distance += pow2(cells[index] - template.cells[index]) }
            if distance < score { (best, score) = (template.character, distance) }
        }
        return best
    }

    /// Ink pixels scaled to the grid: the fraction of each cell of their bounding box that
    /// is ink. Edge columns and rows with under 3 pixels of ink (spurs of noise or a
    /// neighbour) are left out of the box first.
    func cells(_ all: [(Int, Int)]) -> [Double] {
        var (x0, x1) = (all.map(\.0).min() ?? 0, all.map(\.0).max() ?? 0)
        var (y0, y1) = (all.map(\.1).min() ?? 0, all.map(\.1).max() ?? 0)
        var trimmed = true
        while trimmed {
            trimmed = false
            let inside = all.filter { $0.0 >= x0 && $0.0 <= x1 && $0.1 >= y0 && $0.1 <= y1 }
            if x1 - x0 > 4, inside.filter({ $0.0 == x0 }).count < 3 { x0 += 1; trimmed = true }
            if x1 - x0 > 4, inside.filter({ $0.0 == x1 }).count < 3 { x1 -= 1; trimmed = true }
            if y1 - y0 > 4, inside.filter({ $0.1 == y0 }).count < 3 { y0 += 1; trimmed = true }
            if y1 - y0 > 4, inside.filter({ $0.1 == y1 }).count < 3 { y1 -= 1; trimmed = true }
        }
        let pixels = all.filter { $0.0 >= x0 && $0.0 <= x1 && $0.1 >= y0 && $0.1 <= y1 }
        let (w, h) = (x1 - x0 + 1, y1 - y0 + 1)
        var ink = [Double](repeating: 0, count: cellsWide * cellsHigh)
        var area = [Double](repeating: 0, count: cellsWide * cellsHigh)
        for y in 0..<h {
            for x in 0..<w { area[(y * cellsHigh / h) * cellsWide + x * cellsWide / w] += 1 }
        }
        for (x, y) in pixels { ink[((y - y0) * cellsHigh / h) * cellsWide + (x - x0) * cellsWide / w] += 1 }
        return zip(ink, area).map { $1 > 0 ? $0 / $1 : 0 }
    }
}
