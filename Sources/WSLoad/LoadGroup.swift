import ArgumentParser
import Foundation

/// A group the load sends into: its id and its members' tokens (the first one its owner's).
struct LoadGroup: Sendable {
    let id: String
    let tokens: [String]

    /// The groups of `path`: one per line, the id then the tokens, separated by spaces.
    static func read(from path: String) throws -> [LoadGroup] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let groups = text.split(separator: "\n").compactMap { line -> LoadGroup? in
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 2 else { return nil }
            return LoadGroup(id: fields[0], tokens: Array(fields.dropFirst()))
        }
        guard !groups.isEmpty else { throw ValidationError("no groups in \(path): run ws-load.py --setup-only first") }
        return groups
    }
}
