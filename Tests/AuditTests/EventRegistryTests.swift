import HTTPAPI
import EventSourcing
import Foundation
import Members
import Testing
import Verification

/// Every event type is declared once, round-trips, and older versions upcast on read.
@Suite struct EventRegistryTests {
    @Test func everyRegisteredTypeRoundTripsItsExample() async throws {
        let registry = try await testRegistry()
        #expect(registry.types.count >= 30)
        #expect(registry.typesFailingRoundTrip().isEmpty)
        #expect(Set(registry.types).count == registry.types.count, "a type string is declared once")
    }

    @Test func aV1MemberRegistrationUpcastsToV2() async throws {
        // The `.v1` layout: username, hash, one whole sealed blob with its lookup keys, method.
        var w = BinaryWriter()
        w.write("alice"); w.write("$scrypt$x")
        w.write([UInt8]([7, 7, 7])); w.write("dn-key"); w.write(String?.some("phone-key")); w.write(String?.none)
        w.write("phone")
        let old = RecordedEvent(
            position: 1, stream: StreamID(.member, .example), version: 1, type: "member.registered.v1", payload: w.bytes,
            timestamp: Timestamp(millisecondsSince1970: 0), metadata: .none)
        guard case .registered(let registered)? = try MemberEvent(old) else { Issue.record("not a registration"); return }
        #expect(registered.username == "alice" && registered.method == "phone")
        #expect(registered.profile == SealedPart(legacy: [7, 7, 7]) && registered.contact == SealedPart(legacy: [7, 7, 7]))
        #expect(registered.displayNameKey == "dn-key" && registered.phoneKey == "phone-key")
        // And it reads as JSON through the registry like any current event.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try await testRegistry().line(old).utf8)) as? [String: Any])
        #expect(json["error"] == nil)
        #expect((json["payload"] as? [String: Any])?["username"] as? String == "alice")
    }

    @Test func anUnknownTypeOrABrokenPayloadIsAnErrorYouSee() async throws {
        let unknown = RecordedEvent(
            position: 7, stream: "mystery-1", version: 1, type: "mystery.happened.v1", payload: [1, 2],
            timestamp: Timestamp(millisecondsSince1970: 0), metadata: .none)
        let registry = try await testRegistry()
        #expect(throws: EventDecodingError.self) { try registry.check(unknown) }
        let broken = RecordedEvent(
            position: 8, stream: StreamID(.verification, .example), version: 1, type: CodeChecked.type, payload: [],
            timestamp: Timestamp(millisecondsSince1970: 0), metadata: .none)
        #expect(throws: EventDecodingError.self) { try registry.check(broken) }
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(try await testRegistry().line(broken).utf8)) as? [String: Any])
        #expect(shown["error"] is String && (shown["payload"] as? [String: Any])?["base64"] != nil)
    }
}

/// Every domain's events, as the server registers them.
func testRegistry() async throws -> EventRegistry { try await LogbookDomains.audit(log: InMemoryEventLog()).registry }
