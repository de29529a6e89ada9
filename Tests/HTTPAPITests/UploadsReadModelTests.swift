import Foundation
import EventSourcing
import HTTPAPI
import Testing

@Suite struct UploadsReadModelTests {
    /// Recorded events on the given streams, numbered as a log would.
    func recorded(_ events: [(StreamID, UploadEvent)]) -> [RecordedEvent] {
        var versions: [StreamID: StreamVersion] = [:]
        return events.enumerated().map { index, item in
            let version = (versions[item.0] ?? 0) + 1
            versions[item.0] = version
            let event = item.1.newEvent(at: Timestamp(millisecondsSince1970: 1_795_000_000_000))
            return RecordedEvent(
                position: LogPosition(index + 1), stream: item.0, version: version, type: event.type,
                payload: event.payload, timestamp: event.timestamp, metadata: event.metadata)
        }
    }

    @Test func countsEachContentOncePerMemberAndRestoresFromItsSnapshot() throws {
        let (ann, bob) = ("01JANNANNANNANNANNANNANNAN", "01JBOBBOBBOBBOBBOBBOBBOBBO")
        let annStream = try #require(StreamID(.uploads, key: ann))
        let bobStream = try #require(StreamID(.uploads, key: bob))
        let (a, b) = (String(repeating: "a", count: 64), String(repeating: "b", count: 64))
        let events = recorded([
            (try #require(StreamID("upload-" + a)), .storedV1(UploadStoredV1(sha256: a, size: 1_000, contentType: "image/png"))),
            (annStream, .stored(UploadStored(memberID: ann, sha256: a, size: 100, contentType: "image/png"))),
            (annStream, .stored(UploadStored(memberID: ann, sha256: a, size: 100, contentType: "image/png"))),
            (annStream, .stored(UploadStored(memberID: ann, sha256: b, size: 50, contentType: "image/gif"))),
            (bobStream, .stored(UploadStored(memberID: bob, sha256: a, size: 100, contentType: "image/png"))),
        ])
        var model = UploadsReadModel()
        for event in events { try model.apply(event) }
        #expect(model.usage(memberID: ann).bytes == 150 && model.usage(memberID: ann).version == 3)
        #expect(model.usage(memberID: ann).contents == [a, b])
        #expect(model.usage(memberID: bob).bytes == 100, "a content two members upload counts for both")
        #expect(model.members.count == 2, "the anonymous v1 event counts for nobody")

        let restored = try UploadsReadModel(snapshot: model.snapshot())
        #expect(restored.snapshot() == model.snapshot() && restored.digest == model.digest)
        var reversed = UploadsReadModel()
        for event in events.reversed() where event.stream == bobStream { try reversed.apply(event) }
        for event in events where event.stream != bobStream { try reversed.apply(event) }
        #expect(reversed.snapshot() == model.snapshot(), "the snapshot does not depend on insertion order")
    }

    @Test func theUploadEventsReadAsJSON() async throws {
        let event = recorded([("uploads-01JANNANNANNANNANNANNANNAN", .stored(UploadStored(
            memberID: "01JANNANNANNANNANNANNANNAN", sha256: String(repeating: "c", count: 64), size: 7, contentType: "image/webp")))])[0]
        let object = try? JSONSerialization.jsonObject(with: Data(try await testRegistry().line(event).utf8)) as? [String: Any]
        let payload = object?["payload"] as? [String: Any]
        #expect(payload?["member_id"] as? String == "01JANNANNANNANNANNANNANNAN" && payload?["size"] as? Int == 7)
        #expect(payload?["content_type"] as? String == "image/webp")
    }
}

/// Every domain's events, as the server registers them.
func testRegistry() async throws -> EventRegistry { try await LogbookDomains.audit(log: InMemoryEventLog()).registry }
