import Foundation

/// Checks an `strace -f -ttt -yy` trace of `logbookd` for the power-loss promise: every 2xx
/// answer to a command leaves the process only after what the command wrote is on disk.
///
/// LMDB commits in three steps: it writes the transaction's data pages into `data.mdb`
/// (`pwrite64`/`pwritev`, or `writev` after a seek), syncs the file (`fdatasync`), then
/// writes the meta page that makes them current (a `pwrite64` into the first two pages)
/// through a descriptor opened `O_DSYNC`, so that write is synced too. A commit is durable
/// once its data pages were synced and its meta page is durable (written through `O_DSYNC`,
/// or synced later). Each 2xx to a POST, PUT, PATCH or DELETE (written to its connection)
/// must follow a commit that began after the request was read and was durable before the
/// answer was written; an upload must also follow a sync of a file under `uploads/`, a
/// registration a sync of `member-keys` (the key is written before the member is appended).
/// With syncing turned off (`MDB_NOSYNC`) no commit is ever durable, so every 2xx is a
/// violation: the negative control.
struct SyncAudit {
    struct Violation: CustomStringConvertible {
        let request: String
        let problem: String
        /// The trace's lines (from 0) of the request and of its answer.
        var lines: ClosedRange<Int> = 0...0
        var description: String { "\(request): \(problem) (trace lines \(lines.lowerBound + 1)-\(lines.upperBound + 1))" }
    }

    private(set) var audited = 0
    private(set) var violations: [Violation] = []
    var durableCommits: Int { durable.count }

    /// One system call: where it began and ended in the trace, what it was called with,
    /// and what it returned (nil when it never returned).
    struct Call {
        var name: String
        var arguments: String
        var entry: Int
        var exit: Int
        var result: Int?
    }

    /// A commit of `data.mdb`: the first of its data page writes, the last, its meta page.
    private struct Commit {
        var start: Int
        var lastData: Int?
        var meta: Int
        var metaDurable: Bool
    }

    private var openCommit: (start: Int, lastData: Int)?
    private var pending: [Commit] = []
    private var durable: [(start: Int, at: Int)] = []
    private var syncs: [(path: String, at: Int)] = []
    private var synchronousDescriptors: Set<Int> = []
    private var requests: [String: (line: Int, request: String)] = [:]

    init(trace: String) {
        let calls = Self.calls(in: trace)
        // Socket writes count from their start; everything else from its end.
        let ordered = calls.map { call in (Self.isSocketWrite(call) ? call.entry : call.exit, call) }.sorted { $0.0 < $1.0 }
        for (line, call) in ordered { take(call, at: line) }
    }

    private mutating func take(_ call: Call, at line: Int) {
        let (fd, annotation) = Self.descriptor(call.arguments)
        let data = Self.firstString(call.arguments)
        switch call.name {
        case "openat":
            guard let result = call.result, let path = data, path.hasSuffix("/data.mdb") else { return }
            if call.arguments.contains("O_DSYNC") || call.arguments.contains("O_SYNC") {
                synchronousDescriptors.insert(result)
            } else {
                synchronousDescriptors.remove(result)
            }
        case "fsync", "fdatasync":
            guard call.result == 0, let annotation else { return }
            syncs.append((annotation, line))
            if annotation.hasSuffix("/data.mdb") { dataFileSynced(at: line) }
        case "pwrite64", "pwritev", "pwritev2", "write", "writev":
            guard let annotation, (call.result ?? -1) >= 0 else { return }
            if annotation.hasSuffix("/data.mdb") {
                wroteDataFile(call, fd: fd, at: line)
            } else if annotation.hasPrefix("TCP"), let data {
                answered(on: annotation, data, at: line)
            }
        case "sendto", "sendmsg":
            if let annotation, annotation.hasPrefix("TCP"), let data { answered(on: annotation, data, at: line) }
        case "read", "readv", "recvfrom", "recvmsg":
            guard let annotation, annotation.hasPrefix("TCP"), let data, (call.result ?? 0) > 0, requests[annotation] == nil,
                let space = data.firstIndex(of: " "), ["POST", "PUT", "PATCH", "DELETE", "GET", "HEAD"].contains(String(data[..<space]))
            else { return }
            let target = data[data.index(after: space)...].prefix { $0 != " " && $0 != "?" }
            requests[annotation] = (line, "\(data[..<space]) \(target)")
        default:
            break
        }
    }

    private mutating func wroteDataFile(_ call: Call, fd: Int?, at line: Int) {
        let offset = call.name == "pwrite64" ? Self.lastArgument(call.arguments) : nil
        guard let offset, offset < 8192 else {
            openCommit = (openCommit?.start ?? line, line)
            return
        }
        // The meta page: it ends the commit whose data pages came before it.
        let synchronous = fd.map { synchronousDescriptors.contains($0) } ?? false
        var commit = Commit(start: openCommit?.start ?? line, lastData: openCommit?.lastData, meta: line, metaDurable: synchronous)
        openCommit = nil
        if let last = commit.lastData, syncs.last(where: { $0.path.hasSuffix("/data.mdb") && $0.at > last }) != nil {
            commit.lastData = nil
        }
        if commit.lastData == nil && commit.metaDurable {
            durable.append((commit.start, line))
        } else {
            pending.append(commit)
        }
    }

    private mutating func dataFileSynced(at line: Int) {
        // A sync makes durable everything written to the file before it.
        var still: [Commit] = []
        for commit in pending {
            if (commit.lastData ?? 0) < line && commit.meta < line {
                durable.append((commit.start, line))
            } else {
                still.append(commit)
            }
        }
        pending = still
    }

    private mutating func answered(on connection: String, _ data: String, at line: Int) {
        guard data.hasPrefix("HTTP/1.1 "), let request = requests.removeValue(forKey: connection) else { return }
        let status = data.dropFirst("HTTP/1.1 ".count).prefix(3)
        guard status.hasPrefix("2"), !request.request.hasPrefix("GET "), !request.request.hasPrefix("HEAD ") else { return }
        audited += 1
        let between = { (at: Int) in at > request.line && at < line }
        if !durable.contains(where: { between($0.start) && $0.at < line }) {
            let unsynced = pending.contains { between($0.start) } || openCommit.map { between($0.start) } == true
            violations.append(Violation(
                request: request.request,
                problem: unsynced
                    ? "answered \(status) before the commit it wrote was synced" : "answered \(status) with no durable commit since the request",
                lines: request.line...line))
        }
        if request.request.hasPrefix("POST /v1/uploads"), !syncs.contains(where: { $0.path.contains("/uploads/") && between($0.at) }) {
            violations.append(Violation(request: request.request, problem: "answered \(status) before the uploaded file was synced", lines: request.line...line))
        }
        if request.request == "POST /v1/members", !syncs.contains(where: { $0.path.hasSuffix("/member-keys") && between($0.at) }) {
            violations.append(Violation(request: request.request, problem: "answered \(status) before the member's key was synced", lines: request.line...line))
        }
    }

    // MARK: Reading strace's lines

    /// Every system call in the trace, an interrupted one (`<unfinished ...>`) joined with its end.
    static func calls(in trace: String) -> [Call] {
        var calls: [Call] = []
        var unfinished: [Substring: Call] = [:]
        for (index, line) in trace.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard fields.count == 3, fields[0].allSatisfy(\.isNumber) else { continue }
            let (pid, text) = (fields[0], fields[2])
            if text.hasPrefix("<... "), var call = unfinished.removeValue(forKey: pid), let end = text.range(of: " resumed>") {
                call.arguments += text[end.upperBound...]
                call.exit = index
                call.result = result(of: call.arguments)
                calls.append(call)
            } else if let open = text.firstIndex(of: "("), text[..<open].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                let name = String(text[..<open])
                let arguments = String(text[text.index(after: open)...])
                if arguments.hasSuffix("<unfinished ...>") {
                    unfinished[pid] = Call(
                        name: name, arguments: String(arguments.dropLast("<unfinished ...>".count)), entry: index, exit: index, result: nil)
                } else {
                    calls.append(Call(name: name, arguments: arguments, entry: index, exit: index, result: result(of: arguments)))
                }
            }
        }
        return calls
    }

    /// What a call returned: the number after the last ` = ` (nil when none).
    static func result(of arguments: String) -> Int? {
        guard let equals = arguments.range(of: ") = ", options: .backwards) else { return nil }
        return Int(arguments[equals.upperBound...].prefix { $0 == "-" || $0.isNumber })
    }

    /// The first argument as a descriptor: its number and what `-yy` says it is (a path, or
    /// `TCP:[local->remote]`).
    static func descriptor(_ arguments: String) -> (Int?, String?) {
        let digits = arguments.prefix { $0.isNumber }
        let rest = arguments.dropFirst(digits.count)
        guard rest.hasPrefix("<") else { return (Int(digits), nil) }
        let body = rest.dropFirst()
        let end = [body.range(of: ">, "), body.range(of: ">)"), body.range(of: "> ")].compactMap { $0?.lowerBound }.min() ?? body.endIndex
        return (Int(digits), String(body[..<end]))
    }

    /// The first quoted string of the arguments, unescaped as far as the audit needs (`\"`, `\\`).
    static func firstString(_ arguments: String) -> String? {
        guard let quote = arguments.firstIndex(of: "\"") else { return nil }
        var out = ""
        var escaped = false
        for character in arguments[arguments.index(after: quote)...] {
            if escaped {
                out.append(character == "n" ? "\n" : character == "r" ? "\r" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return out
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// The last argument as a number (`pwrite64`'s offset).
    static func lastArgument(_ arguments: String) -> Int? {
        guard let close = arguments.range(of: ") = ", options: .backwards) ?? arguments.range(of: ")", options: .backwards),
            let comma = arguments[..<close.lowerBound].range(of: ", ", options: .backwards)
        else { return nil }
        // An interrupted call's first half ends with a space (`4128 <unfinished ...>`).
        return Int(arguments[comma.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
    }

    static func isSocketWrite(_ call: Call) -> Bool {
        ["write", "writev", "sendto", "sendmsg"].contains(call.name) && descriptor(call.arguments).1?.hasPrefix("TCP") == true
    }
}

