import EventSourcing

/// Compresses a request's events on the appending tasks, in parallel for large
/// requests, so the single writer thread only stamps headers, hashes and stores.
struct AppendPreparation {
    /// Requests with at least this many events are split across two tasks.
    static let parallelThreshold = 256

    let codec: RecordCodec

    func prepare(_ request: AppendRequest) async throws -> PreparedAppend {
        // (append index, event index) for every event, so halves need no event copies.
        var items: [(Int, Int)] = []
        items.reserveCapacity(request.eventCount)
        for (a, append) in request.appends.enumerated() {
            for e in append.events.indices { items.append((a, e)) }
        }
        guard items.count >= Self.parallelThreshold else {
            return PreparedAppend(request: request, frames: try compress(request, items[...]))
        }
        let half = (items.count + 1) / 2
        let (firstHalf, secondHalf) = (items[..<half], items[half...])
        let codec = self.codec
        async let first = AppendPreparation(codec: codec).compress(request, firstHalf)
        let second = try compress(request, secondHalf)
        var frames = try await first
        frames.append(contentsOf: second)
        return PreparedAppend(request: request, frames: frames)
    }

    private func compress(_ request: AppendRequest, _ items: ArraySlice<(Int, Int)>) throws -> PackedFrames {
        try codec.withCompressor { compressor in
            var frames = PackedFrames(capacity: items.count)
            for (a, e) in items {
                let append = request.appends[a]
                try compressor.compress(append.events[e], stream: append.stream, into: &frames)
            }
            return frames
        }
    }
}
