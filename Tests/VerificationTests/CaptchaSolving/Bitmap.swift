/// A black-and-white image for the solver: `true` is ink.
struct Bitmap {
    let width: Int
    let height: Int
    var bits: [Bool]

    init(width: Int, height: Int, bits: [Bool]) {
        (self.width, self.height, self.bits) = (width, height, bits)
    }

    /// Ink where a grey is darker than `threshold`.
    init(greys: [UInt8], width: Int, height: Int, threshold: UInt8) {
        self.init(width: width, height: height, bits: greys.map { $0 < threshold })
    }

    subscript(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height && bits[y * width + x]
    }

    /// Otsu's threshold: the grey that best splits the histogram into two classes.
    static func otsu(_ greys: [UInt8]) -> UInt8 {
        var histogram = [Double](repeating: 0, count: 256)
        for grey in greys { histogram[Int(grey)] += 1 }
        let total = Double(greys.count)
        let sum = histogram.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element }
        var (below, belowSum, best, threshold) = (0.0, 0.0, -1.0, 128)
        for grey in 0..<256 {
            below += histogram[grey]
            belowSum += Double(grey) * histogram[grey]
            let above = total - below
            guard below > 0, above > 0 else { continue }
            let between = below * above * pow2(belowSum / below - (sum - belowSum) / above)
            if between > best { (best, threshold) = (between, grey + 1) }
        }
        return UInt8(min(255, threshold))
    }

    /// The 3x3 majority filter: a pixel is ink when at least 5 of its 3x3 block are.
    func majority() -> Bitmap {
        var out = [Bool](repeating: false, count: bits.count)
        for y in 0..<height {
            for x in 0..<width {
                var count = 0
                for dy in -1...1 { for dx in -1...1 where self[x + dx, y + dy] { count += 1 } }
                out[y * width + x] = count >= 5
            }
        }
        return Bitmap(width: width, height: height, bits: out)
    }

    /// 8-connected components of ink, as pixel index lists.
    func components() -> [[Int]] {
        var seen = [Bool](repeating: false, count: bits.count)
        var found: [[Int]] = []
        for start in bits.indices where bits[start] && !seen[start] {
            var stack = [start]
            var component: [Int] = []
            seen[start] = true
            while let index = stack.popLast() {
                component.append(index)
                let (x, y) = (index % width, index / width)
                for dy in -1...1 {
                    for dx in -1...1 where self[x + dx, y + dy] {
                        let next = (y + dy) * width + x + dx
                        if !seen[next] { seen[next] = true; stack.append(next) }
                    }
                }
            }
            found.append(component)
        }
        return found
    }
}

func pow2(_ value: Double) -> Double { value * value }
