import EventSourcing
import HTTPTypes
import Testing
import Verification

/// The verifications read model forgets an address a day after its last send (its codes
/// gone), so it does not grow with every address ever sent to; sends to a forgotten
/// address still work, at the version its stream has in the log, with its limits fresh.
@Suite struct ForgottenDestinationsAPITests {
    @Test func anAddressIdleForADayIsForgottenAndSendsToItStillWork() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let send = { (phone: String) in
                try await client.call(.post, "/v1/verifications", json: #"{"channel":"sms","to":"\#(phone)","operation":"login"}"#)
            }
            let reset = { try await client.call(.post, "/v1/password-resets", json: #"{"email":"nobody@example.com"}"#) }
            #expect(try await send("+8613712340001").status == .created)
            #expect(try await reset().status == .accepted)  // no such account: a decoy, counted on its address
            _ = await server.worker.deliverDue()
            #expect(server.codes.read { model, _ in model.destinations.count } == 2)

            server.clock.advance(seconds: 3 * 86_400)
            for index in 0..<3 { #expect(try await send("+86137123400\(10 + index)").status == .created) }
            #expect(server.codes.read { model, _ in model.destinations.count } == 3, "the two idle addresses are forgotten")

            #expect(try await send("+8613712340001").status == .created, "decided at the version the log has")
            let tooSoon = try await send("+8613712340001")
            #expect(tooSoon.status == .tooManyRequests && tooSoon.errorCode == "rate_limited", "the new send counts again")
            server.clock.advance(seconds: 61)
            #expect(try await send("+8613712340001").status == .created, "and the one after it is decided at the log's version too")
            #expect(try await reset().status == .accepted)
            #expect(server.codes.read { model, _ in model.destinations.count } == 5)
            #expect(try await reset().status == .accepted, "a decoy answers alike when rate limited")
        }
    }
}
