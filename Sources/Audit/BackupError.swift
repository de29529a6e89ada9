/// A backup or restore cannot go on, and why (the message names the file and what to do).
public struct BackupError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
