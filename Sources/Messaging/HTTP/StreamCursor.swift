import EventSourcing
import ServerKit

/// The resume cursor of frames and `/v1/sync`: an opaque token over the log position of
/// the last message the client has (`ServerKit.Cursor`, base64url).
enum StreamCursor {
    static func encode(_ position: LogPosition) -> String { Cursor(["p", String(position)]).description }

    /// The position a cursor names (absent: 0, the start); 400 naming `field` when malformed.
    static func parse(_ text: String?, field: String) throws -> LogPosition {
        guard let text, !text.isEmpty else { return 0 }
        guard let cursor = Cursor(text), cursor.parts.count == 2, cursor.parts[0] == "p", let position = UInt64(cursor.parts[1]) else {
            throw APIError.validation(field: field, "\(field) is not a cursor this server gave.")
        }
        return position
    }
}
