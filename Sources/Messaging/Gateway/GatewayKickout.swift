import EventSourcing
public import Members
public import ServiceLifecycle

/// Kicks out the sockets of revoked sessions (logout, password change or reset, disabling,
/// deletion): a `kickout` frame, then the close (seed 001 `PushKickout`).
public struct GatewayKickout: Service {
    let gateway: Gateway
    let revocations: SessionRevocations

    public init(gateway: Gateway, revocations: SessionRevocations) { (self.gateway, self.revocations) = (gateway, revocations) }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await revocation in revocations.subscribe() {
                gateway.kick(memberID: revocation.memberID, sessionIDs: revocation.sessionIDs, reason: revocation.reason)
            }
        }
        gateway.closeAll(reason: "server shutting down")
    }
}
