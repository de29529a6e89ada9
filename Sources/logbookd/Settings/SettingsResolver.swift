import ArgumentParser
import Configuration
import Foundation

/// Resolves each setting from, in order: its flag, its `LOGBOOK_*` environment variable,
/// the config file, its default; and remembers every answer and its source for
/// `--print-config` (secrets masked). A value from the environment or the file is parsed
/// as the flag would parse it, and a bad one stops the server with the source named.
final class SettingsResolver {
    struct Entry {
        let key: String
        let shown: String
        let source: SettingSource
    }

    let sources: ConfigSources
    private(set) var entries: [Entry] = []

    init(sources: ConfigSources) { self.sources = sources }

    func value<T: ExpressibleByArgument>(_ flag: T?, _ key: String, default fallback: T) throws -> T {
        let (value, source) = try resolve(flag, key) ?? (fallback, .default)
        entries.append(Entry(key: key, shown: "\(value)", source: source))
        return value
    }

    func optional<T: ExpressibleByArgument>(_ flag: T?, _ key: String) throws -> T? {
        let resolved = try resolve(flag, key)
        entries.append(Entry(key: key, shown: resolved.map { "\($0.0)" } ?? "(unset)", source: resolved?.1 ?? .default))
        return resolved?.0
    }

    /// A presence flag (`--dev`): on from the command line, or `true` in a source.
    func flag(_ flag: Bool, _ key: String) throws -> Bool {
        try value(flag ? true : nil, key, default: false)
    }

    /// A secret: never from the command line (it would show in `ps`), from the environment
    /// variable of `key`, or from the file that `fileKey` names (the first line, trimmed).
    func secret(_ key: String, fileKey: String, file flag: String?) throws -> String? {
        var found: (String, SettingSource)?
        if let value = sources.environment.string(forKey: .init([key]), isSecret: true), !value.isEmpty {
            found = (value, .environment)
        }
        let path = try optional(flag, fileKey)
        if found == nil, let path {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigError("cannot read \(fileKey) \(path)")
            }
            let text = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw ConfigError("\(fileKey) \(path) is empty") }
            found = (trimmed, .secretFile)
        }
        entries.append(Entry(key: key, shown: found == nil ? "(unset)" : "********", source: found?.1 ?? .default))
        return found?.0
    }

    /// `--print-config`: one line per setting, `key = value  # source (environment variable)`.
    var report: String {
        let width = entries.map(\.key.count).max() ?? 0
        return entries.map { entry in
            let padded = entry.key.padding(toLength: width, withPad: " ", startingAt: 0)
            return "\(padded) = \(entry.shown)  # \(entry.source.rawValue), env \(ConfigSources.variable(for: entry.key))"
        }.joined(separator: "\n")
    }

    private func resolve<T: ExpressibleByArgument>(_ flag: T?, _ key: String) throws -> (T, SettingSource)? {
        if let flag { return (flag, .flag) }
        guard let (text, source) = sources.lookup(key) else { return nil }
        guard let value = T(argument: text) else {
            let origin = source == .environment ? ConfigSources.variable(for: key) : "\"\(key)\" in \(sources.filePath ?? "the config file")"
            throw ConfigError("\(origin): \"\(text)\" is not a valid value for --\(key)")
        }
        return (value, source)
    }
}
