/// Delivers a code's message over one channel (an SMS, voice or email gateway).
/// Throwing means "not delivered, try again later".
public protocol Sender: Sendable {
    func send(_ message: DeliveryMessage) async throws
}
