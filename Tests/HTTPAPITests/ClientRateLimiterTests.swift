import ServerKit
import Testing

@Suite struct ClientRateLimiterTests {
    static func admitted(_ limiter: ClientRateLimiter, _ client: String) -> Bool {
        do {
            try limiter.admit(.login, client: client)
            return true
        } catch {
            return false
        }
    }

    /// Each address has its own bucket; past `maxClients` addresses, new ones share one
    /// overflow bucket, so a flood of addresses is still limited, and the addresses already
    /// tracked keep theirs.
    @Test func aFloodOfAddressesSharesOneOverflowBucket() {
        let limiter = ClientRateLimiter(limits: [.login: .init(count: 2, periodSeconds: 3600)], maxClients: 3)
        for client in ["a", "b", "c"] {
            #expect(Self.admitted(limiter, client) && Self.admitted(limiter, client))
            #expect(!Self.admitted(limiter, client), "\(client)'s third login in the hour")
        }
        #expect(Self.admitted(limiter, "d") && Self.admitted(limiter, "e"), "the overflow bucket's two")
        #expect(!Self.admitted(limiter, "f") && !Self.admitted(limiter, "g"), "the overflow bucket is empty")
        #expect(!Self.admitted(limiter, "a"))
    }

    /// Addresses whose buckets refilled completely are dropped as the table fills, so new
    /// addresses get buckets of their own again.
    @Test func refilledBucketsMakeRoomForNewAddresses() async throws {
        let limiter = ClientRateLimiter(limits: [.login: .init(count: 1, periodSeconds: 0.05)], maxClients: 2)
        #expect(Self.admitted(limiter, "a") && Self.admitted(limiter, "b"))
        try await Task.sleep(for: .milliseconds(200))
        #expect(Self.admitted(limiter, "c") && !Self.admitted(limiter, "c"), "c has a bucket of its own")
        #expect(Self.admitted(limiter, "d") && !Self.admitted(limiter, "d"), "and so does d")
    }

    /// Many addresses: the table is changed in place (it was copied whole for every check,
    /// under the lock every login, registration, reset and code send takes).
    @Test func manyAddressesAreTrackedEachWithItsBucket() {
        let limiter = ClientRateLimiter(limits: [.login: .init(count: 1, periodSeconds: 3600)], maxClients: 100_000)
        for n in 0..<50_000 { #expect(Self.admitted(limiter, "10.0.\(n / 256).\(n % 256)")) }
        #expect(!Self.admitted(limiter, "10.0.0.7"))
    }
}
