import Synchronization

/// Dev mode's memory of captcha answers (`GET /v1/dev/captchas/{id}`): never in production,
/// never in the log.
public final class DevCaptchaAnswers: Sendable {
    private let answers = Mutex<[(id: String, answer: String)]>([])
    public let capacity: Int

    public init(capacity: Int = 1000) { self.capacity = capacity }

    public func remember(id: String, answer: String) {
        answers.withLock { answers in
            answers.append((id, answer))
            if answers.count > capacity { answers.removeFirst(answers.count - capacity) }
        }
    }

    public func answer(for id: String) -> String? {
        answers.withLock { $0.last { $0.id == id }?.answer }
    }
}
