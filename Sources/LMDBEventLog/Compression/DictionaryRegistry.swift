import EventSourcing
import Synchronization
import Zstd

/// Every zstd dictionary of the log by id, and the one new records use.
///
/// Records name their dictionary, so adding a dictionary never breaks older
/// records: they keep decompressing with the one they name.
final class DictionaryRegistry: Sendable {
    private struct State {
        var all: [UInt32: ZstdDictionary] = [:]
        var currentID: UInt32 = 0
    }

    private let state = Mutex(State())
    let level: Int32

    init(level: Int32) { self.level = level }

    /// The dictionary with `id`; nil for id 0 (no dictionary). Throws for an unknown id.
    func dictionary(_ id: UInt32) throws -> ZstdDictionary? {
        guard id != 0 else { return nil }
        guard let dictionary = state.withLock({ $0.all[id] }) else {
            throw EventLogError(.corrupt, "record names unknown dictionary \(id)")
        }
        return dictionary
    }

    /// The id and dictionary new records are compressed with (0 and nil before the first).
    var current: (id: UInt32, dictionary: ZstdDictionary?) {
        state.withLock { ($0.currentID, $0.all[$0.currentID]) }
    }

    /// Registers a stored dictionary, making it current when `current`.
    func register(id: UInt32, bytes: [UInt8], current: Bool) throws {
        let dictionary = try ZstdDictionary(bytes: bytes, level: level)
        state.withLock { state in
            state.all[id] = dictionary
            if current { state.currentID = id }
        }
    }
}

