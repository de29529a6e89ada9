import Foundation

/// Progress of a long operation on standard error: a bar with rate and ETA on a terminal,
/// a plain line every few seconds otherwise (logs, CI).
public final class Progress {
    let label: String
    let total: UInt64
    let interactive: Bool
    let start = Date()
    var lastPrint = Date.distantPast
    let output: (String) -> Void

    /// Progress on standard error; a bar when it is a terminal.
    public convenience init(label: String, total: UInt64) {
        self.init(label: label, total: total, interactive: isatty(2) == 1) { FileHandle.standardError.write(Data($0.utf8)) }
    }

    public init(label: String, total: UInt64, interactive: Bool, output: @escaping (String) -> Void) {
        self.label = label
        self.total = total
        self.interactive = interactive
        self.output = output
    }

    /// Reports `done` of `total`; prints at most 10 times a second on a terminal, every 5 s otherwise.
    public func update(_ done: UInt64) {
        let now = Date()
        guard now.timeIntervalSince(lastPrint) >= (interactive ? 0.1 : 5) else { return }
        lastPrint = now
        output(line(done, at: now) + (interactive ? "\r" : "\n"))
    }

    /// The final line.
    public func finish(_ done: UInt64) {
        output(line(done, at: Date()) + "\n")
    }

    func line(_ done: UInt64, at now: Date) -> String {
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(done) / elapsed
        let fraction = total == 0 ? 1 : min(1, Double(done) / Double(total))
        let eta = rate > 0 && done < total ? Double(total - done) / rate : 0
        let bar = interactive
            ? "[" + String(repeating: "#", count: Int(fraction * 30)) + String(repeating: "-", count: 30 - Int(fraction * 30)) + "] "
            : ""
        return "\(label) \(bar)\(Int(fraction * 100))% \(done)/\(total) \(Self.rate(rate))/s ETA \(Int(eta.rounded()))s"
    }

    static func rate(_ value: Double) -> String {
        value >= 1_000_000 ? String(format: "%.2fM", value / 1_000_000)
            : value >= 1000 ? String(format: "%.1fk", value / 1000) : String(format: "%.0f", value)
    }
}
