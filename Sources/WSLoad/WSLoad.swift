// ws-load: the socket load of tools/load/messaging-bench.sh. It reads the members and groups
// that `ws-load.py --setup-only` registered (SETUP_DIR/group-lines: a group id, then the
// tokens of its members), opens one /v1/stream socket per member, sends RATE group
// messages per second through POST /v1/messages for SECONDS, open-loop (each due message at
// once, up to MAX_IN_FLIGHT unanswered; each text carries the time it was due), and measures
// what the sockets receive: deliveries per second and due-to-receive latency percentiles.
// Prints one line "WS_JSON {...}" with the fields ws-load.py prints, and a few more.
//
// Open-loop and on NIO, so that the load tool is not the limit: ws-load.py is a closed loop
// of 32 senders, each waiting for its answer, so its rate is 32 per round trip and a message's
// wait to be sent is not in its latency.
//
//     ws-load BASE_URL SETUP_DIR [--rate 1000] [--seconds 30] [--max-in-flight 1024]
import ArgumentParser
import Foundation
import Logging

@main
struct WSLoad: AsyncParsableCommand {
    @Argument(help: "The server, for example http://127.0.0.1:8080.") var base: String
    @Argument(help: "The directory ws-load.py --setup-only wrote group-lines into.") var setupDir: String
    @Option(help: "Group messages per second to send.") var rate: Double = 1000
    @Option(help: "How long to send.") var seconds: Double = 30
    @Option(help: "Messages sent and not yet answered, at most (and HTTP connections).") var maxInFlight = 1024
    @Option(help: "How long to wait for the last frames after the sending stops.") var drainSeconds: Double = 2

    func validate() throws {
        guard rate > 0, seconds > 0, maxInFlight > 0, drainSeconds >= 0 else {
            throw ValidationError("--rate, --seconds and --max-in-flight must be positive, --drain-seconds not negative")
        }
    }

    func run() async throws {
        let groups = try LoadGroup.read(from: setupDir + "/group-lines")
        let tokens = groups.flatMap(\.tokens)
        var logger = Logger(label: "ws-load")
        logger.logLevel = .critical
        let stats = DeliveryStats()
        let fleet = SocketFleet(base: base, tokens: tokens, stats: stats, logger: logger)
        let held = await fleet.open()
        FileHandle.standardError.write(Data("ws-load: \(held) of \(tokens.count) sockets open\n".utf8))
        let sending = try await MessageSender(base: base, groups: groups, rate: rate, seconds: seconds, maxInFlight: maxInFlight).run()
        try await Task.sleep(for: .seconds(drainSeconds))
        let received = stats.stop()
        let expected = sending.sentIndices.reduce(0) { $0 + groups[$1 % groups.count].tokens.count }
        let result: [String: Any] = [
            "tool": "ws-load (Swift)",
            "sockets_held": held,
            "messages_sent": sending.sentIndices.count,
            "messages_offered": sending.offered,
            "messages_per_second": Double(sending.sentIndices.count) / sending.elapsed,
            "send_errors": sending.errors,
            "max_schedule_lag_ms": sending.maxLag * 1000,
            "deliveries": received.deliveries,
            "deliveries_expected": expected,
            "deliveries_per_second": Double(received.deliveries) / (sending.elapsed + drainSeconds),
            "latency_p50_ms": received.percentile(50),
            "latency_p99_ms": received.percentile(99),
            "latency_max_ms": received.latencies.last ?? 0,
            "socket_errors": fleet.failed,
            "closed_early": fleet.closedEarly,
        ]
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print("WS_JSON " + String(decoding: json, as: UTF8.self))
        // The sockets are still open: leaving the process closes them all at once.
        Foundation.exit(0)
    }
}
