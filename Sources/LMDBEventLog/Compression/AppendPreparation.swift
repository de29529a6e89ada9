import EventSourcing

/// Compresses a request's events on the appending tasks, in parallel for large
/// requests, so the single writer thread only stamps headers, hashes and stores.
struct AppendPreparation {
    /// Requests with at least this many events are split across two tasks.
    static let parallelThreshold = 256

    let codec: RecordCodec

    func prepare(_ request: AppendRequest) async throws -> PreparedAppend {
        let items = request.appends.flatMap { append in append.events.map { (append.stream, $0) } }
        guard items.count >= Self.parallelThreshold else {
            return PreparedAppend(request: request, events: try compress(items[...]))
        }
        let half = (items.count + 1) / 2
        let codec = self.codec
        async let first = AppendPreparation(codec: codec).compress(items[..<half])
        let second = try compress(items[half...])
        return PreparedAppend(request: request, events: try await first + second)
    }

    private func compress(_ items: ArraySlice<(StreamID, NewEvent)>) throws -> [PreparedEvent] {
        try items.map { stream, event in
            let (id, frame) = try codec.compress(event, stream: stream)
            return PreparedEvent(event: event, dictionaryID: id, frame: frame)
        }
    }
}
