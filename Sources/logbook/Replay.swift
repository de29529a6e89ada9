import ArgumentParser
import Audit
import EventSourcing
import LMDBEventLog
import Verification

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild every read model up to a position or a time and print counts and digests.")

    @Argument(help: "The data directory (or the log directory inside it).")
    var directory: String
    @Option(help: "Replay up to and including this position.") var until: UInt64?
    @Option(help: "Replay the events stamped at or before this RFC 3339 time.") var at: String?
    @Option(help: "Also print this verification's state then.") var verification: String?
    @Option(help: "Also print this captcha's state then.") var captcha: String?

    func validate() throws {
        if until != nil && at != nil { throw ValidationError("give --until or --at, not both") }
        if let at, RFC3339.parse(at) == nil { throw ValidationError("--at must be an RFC 3339 time like 2026-11-22T11:17:22Z") }
    }

    func run() async throws {
        let log = try openLog(directory)
        defer { log.close() }
        let limit: Audit.Replay.Limit = until.map { .position($0) } ?? at.flatMap(RFC3339.parse).map { .time($0) } ?? .everything
        let total = try await log.head().size
        let (models, position, time) = try await Audit.Replay.run(
            log: log, until: limit, progress: Progress(label: "replay", total: until.map { min($0, total) } ?? total))
        print("replayed to position \(position)\(time.map { " (\($0.rfc3339))" } ?? "")")
        for (name, position, digest) in models.summary {
            print("\(name): through position \(position), digest \(digest)")
        }
        let now = at.flatMap(RFC3339.parse) ?? time ?? Timestamp(millisecondsSince1970: 0)
        if let verification {
            guard let key = EntityID(verification), let code = models.verifications.read({ model, _ in model.code(key) }) else {
                print("verification \(verification): unknown or destroyed then")
                return
            }
            printJSON([
                "key": verification, "status": code.status(at: now).rawValue, "attempts_left": code.attemptsLeft,
                "channel": code.issued.channel.rawValue, "to": code.issued.maskedTo, "operation": code.issued.operation,
                "expires_at": code.issued.expiresAt.rfc3339, "version": code.version,
            ])
        }
        if let captcha {
            let state = models.captchas.read { model, _ in model.captcha(captcha) }
            printJSON(state.map { ["id": $0.id, "used": $0.used, "expires_at": $0.expiresAt.rfc3339] as [String: Any] }
                ?? ["id": captcha, "state": "unknown then"])
        }
    }
}
