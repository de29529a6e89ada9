public import EventSourcing
import Foundation
import ServerKit

extension EventRegistry {
    /// The event as one line of JSON (`logbook dump`, the admin SSE stream), keys sorted.
    public func line(_ event: RecordedEvent) -> String {
        let data = (try? JSONEncoder.api.encode(json(event))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
