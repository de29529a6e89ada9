public import ServerKit

/// The messaging domain's metrics: open sockets, frames queued for them, and the sockets
/// closed as slow consumers or kicked out.
public enum MessagingMetrics {
    public static let sockets = GaugeMetric("logbook_stream_sockets", help: "Open /v1/stream WebSocket connections.")
    public static let frames = CounterMetric(
        "logbook_stream_frames_total", help: "Frames queued for /v1/stream sockets (messages, broadcasts, kickouts, replays not counted).")
    public static let slowConsumers = CounterMetric(
        "logbook_stream_slow_consumers_total", help: "Sockets closed because their queue was full (the client resumes by cursor).")
    public static let kickouts = CounterMetric("logbook_stream_kickouts_total", help: "Sockets kicked out because their session was revoked.")

    public static let all = [sockets.description, frames.description, slowConsumers.description, kickouts.description]
}
