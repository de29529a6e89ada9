/// Where a code's message stands, as `GET /v1/verifications/{key}` shows it: `queued`
/// (not sent yet, or waiting to retry a failed attempt), `sent` (a gateway accepted it),
/// `failed` (given up after `DeliveryPolicy.maxAttempts` attempts). Folded from the
/// delivery worker's `delivery-recorded` events, so a replay shows the same.
public enum DeliveryStatus: String, Sendable, CaseIterable, Hashable {
    case queued, sent, failed
}

extension CodeState.Delivery {
    /// The status a client sees.
    public var status: DeliveryStatus {
        switch self {
        case .pending: .queued
        case .delivered: .sent
        case .failed: .failed
        }
    }
}
