import Configuration
import Foundation

/// Where a setting's value came from, in the order they are consulted.
enum SettingSource: String {
    case flag = "command line"
    case environment
    case file = "config file"
    case secretFile = "the file named by the *-file setting"
    case `default`
}

/// The sources behind the command line: `LOGBOOK_*` environment variables and an optional
/// JSON config file (a flat object whose keys are the flags' names: `{"port": 8080,
/// "data-dir": "/var/lib/logbook"}`), read through swift-configuration. Values are taken as
/// text and parsed like the flag they stand for, so every source is validated alike.
struct ConfigSources {
    let environment: ConfigReader
    let file: ConfigReader?
    let filePath: String?

    /// `keys`: the names a config file may use (anything else in it is a typo and refused).
    init(environment variables: [String: String], configFile: String?, keys: Set<String>) throws {
        environment = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: variables).prefixKeys(with: "logbook"))
        filePath = configFile
        guard let configFile else {
            file = nil
            return
        }
        guard let data = FileManager.default.contents(atPath: configFile) else {
            throw ConfigError("cannot read the config file \(configFile)")
        }
        let object: [String: Scalar]
        do {
            object = try JSONDecoder().decode([String: Scalar].self, from: data)
        } catch {
            throw ConfigError("the config file \(configFile) must be a JSON object of strings, numbers and booleans")
        }
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in object {
            guard keys.contains(key) else {
                throw ConfigError("the config file \(configFile) has an unknown key \"\(key)\" (keys are the flags' names, as in --print-config)")
            }
            values[AbsoluteConfigKey([key])] = ConfigValue(.string(value.text), isSecret: false)
        }
        file = ConfigReader(provider: InMemoryProvider(name: "config file", values: values))
    }

    /// The text of `key` from the environment (`LOGBOOK_` + the key in upper snake case),
    /// else from the config file.
    func lookup(_ key: String) -> (text: String, source: SettingSource)? {
        if let text = environment.string(forKey: ConfigKey([key])) { return (text, .environment) }
        if let text = file?.string(forKey: ConfigKey([key])) { return (text, .file) }
        return nil
    }

    /// The environment variable that sets `key`.
    static func variable(for key: String) -> String {
        "LOGBOOK_" + key.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    /// One value of the config file, as the text a flag would take.
    private struct Scalar: Decodable {
        let text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let bool = try? container.decode(Bool.self) {
                text = bool ? "true" : "false"
            } else if let int = try? container.decode(Int64.self) {
                text = String(int)
            } else if let double = try? container.decode(Double.self) {
                text = String(double)
            } else {
                text = try container.decode(String.self)
            }
        }
    }
}

/// A setting that cannot be used; logbookd stops before opening anything.
struct ConfigError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
