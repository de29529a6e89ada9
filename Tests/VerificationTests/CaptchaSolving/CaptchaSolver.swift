/// A small classic captcha solver, the kind the old captcha fell to: Otsu's threshold, a
/// 3x3 majority filter (removes thin lines and dots), small components dropped, the
/// columns with ink cut into runs, wide runs split at their emptiest columns near equal
/// widths, and each piece matched on a coarse grid of ink fractions against a font's
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
    /// A glyph's width over its height, to guess how many glyphs a wide run holds.
    let aspect: Double
    /// Components smaller than this are noise.
    let minimumArea: Int
    private(set) var templates: [Template] = []

    /// A solver whose templates are `glyphs`' ink (pixel lists).
    init(cellsWide: Int, cellsHigh: Int, aspect: Double, minimumArea: Int, glyphs: [(Character, [(Int, Int)])]) {
        (self.cellsWide, self.cellsHigh, self.aspect, self.minimumArea) = (cellsWide, cellsHigh, aspect, minimumArea)
        templates = glyphs.map { Template(character: $0.0, cells: cells($0.1)) }
    }

    /// This solver with more templates: each sample image of one known character (drawn by
    /// the captcha's own renderer, as an attacker with its source would) cleaned up and
    /// cut like a captcha, its widest piece kept. Matching then takes the nearest of all.
    func learning(from samples: [(character: Character, greys: [UInt8], width: Int, height: Int)]) -> CaptchaSolver {
        var solver = self
        for sample in samples {
            let pieces = segments(inkPixels(sample.greys, width: sample.width, height: sample.height), width: sample.width)
            guard let widest = pieces.max(by: { $0.count < $1.count }) else { continue }
            solver.templates.append(Template(character: sample.character, cells: cells(widest)))
        }
        return solver
    }

    /// What it read, left to right.
    func read(_ greys: [UInt8], width: Int, height: Int) -> String {
        String(segments(inkPixels(greys, width: width, height: height), width: width).map(best))
    }

    /// The ink left after the threshold, the majority filter and dropping small components.
    func inkPixels(_ greys: [UInt8], width: Int, height: Int) -> [(Int, Int)] {
        let clean = Bitmap(greys: greys, width: width, height: height, threshold: Bitmap.otsu(greys)).majority()
        return clean.components().filter { $0.count >= minimumArea }.flatMap { $0 }.map { ($0 % width, $0 / width) }
    }

    /// The pieces to match: runs of columns with ink, wide ones split.
    func segments(_ pixels: [(Int, Int)], width: Int) -> [[(Int, Int)]] {
        var columns = [Int](repeating: 0, count: width)
        for (x, _) in pixels { columns[x] += 1 }
        var runs: [ClosedRange<Int>] = []
        var start: Int?
        for x in 0...width {
            let inked = x < width && columns[x] > 0
            if inked, start == nil { start = x }
            if !inked, let from = start { runs.append(from...(x - 1)); start = nil }
        }
        let heights = runs.map { run -> Int in
            let ys = pixels.filter { run.contains($0.0) }.map(\.1)
            return (ys.max() ?? 0) - (ys.min() ?? 0) + 1
        }.sorted()
        let glyphWidth = max(4, Double(heights.isEmpty ? 1 : heights[heights.count / 2]) * aspect)
        // Parts of one glyph (a V's arms after the filter) come back together.
        var joined: [ClosedRange<Int>] = []
        for run in runs {
            if let last = joined.last, run.lowerBound - last.upperBound <= 5,
                Double(run.upperBound - last.lowerBound + 1) <= 1.3 * glyphWidth
            {
                joined[joined.count - 1] = last.lowerBound...run.upperBound
            } else {
                joined.append(run)
            }
        }
        var cuts: [ClosedRange<Int>] = []
        for run in joined where columns[run].reduce(0, +) >= minimumArea {
            let span = Double(run.count)
            let parts = max(1, Int((span / glyphWidth).rounded()))
            var from = run.lowerBound
            for part in 1..<max(2, parts) where parts > 1 {
                let nominal = Int(Double(run.lowerBound) + span * Double(part) / Double(parts))
                let reach = max(1, Int(span / Double(parts) / 4))
                let window = max(from + 1, nominal - reach)...max(from + 1, min(run.upperBound, nominal + reach))
                let cut = window.min { columns[$0] < columns[$1] } ?? nominal
                cuts.append(from...(cut - 1))
                from = cut
            }
            cuts.append(from...run.upperBound)
        }
        return cuts.map { cut in pixels.filter { cut.contains($0.0) } }.filter { !$0.isEmpty }
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
