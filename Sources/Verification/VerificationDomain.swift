public import EventSourcing
public import ServerKit
import Logging
public import ServiceLifecycle

/// Verification codes and image captchas (seeds 000 and 004), as the server runs them.
public struct VerificationDomain: Domain {
    public struct Settings: Sendable {
        /// The resend gap and hourly limit per destination.
        public var limits: SendDecision.Limits
        /// How codes reach people per channel (outside dev mode; dev mode uses the outbox).
        public var senders: [Destination.Channel: any Sender]
        /// A gateway call is cut off after this long (a failed attempt).
        public var deliveryTimeout: Duration
        /// How many deliveries are in flight at once (the worker's window).
        public var deliveryConcurrency: Int
        /// Dev mode: how many messages the outbox keeps.
        public var devOutboxCapacity: Int
        /// How long codes are kept after they expire (a day; shorter only for tests).
        public var codeRetentionSeconds: Int64

        public init(
            limits: SendDecision.Limits = .init(), senders: [Destination.Channel: any Sender] = [:], deliveryTimeout: Duration = .seconds(10),
            deliveryConcurrency: Int = DeliveryWorker.defaultConcurrency, devOutboxCapacity: Int = 1000,
            codeRetentionSeconds: Int64 = VerificationsReadModel.defaultRetentionSeconds
        ) {
            (self.limits, self.senders, self.deliveryTimeout, self.devOutboxCapacity) = (limits, senders, deliveryTimeout, devOutboxCapacity)
            self.deliveryConcurrency = deliveryConcurrency
            self.codeRetentionSeconds = codeRetentionSeconds
        }
    }

    public let name = "verification"
    public let codes: LiveProjection<VerificationsReadModel>
    public let captchaModel = LiveProjection<CaptchasReadModel>()
    public let service: VerificationService
    public let captchas: CaptchaService
    public let worker: DeliveryWorker
    /// Dev mode's outbox and captcha answers (nil outside dev mode: `/v1/dev/*` does not exist).
    public let devOutbox: DevOutbox?
    public let devCaptchaAnswers: DevCaptchaAnswers?
    let feed: CommitFeed
    let metricsRegistry: MetricsRegistry

    public init(_ context: DomainContext, settings: Settings) {
        let retention = settings.codeRetentionSeconds
        codes = LiveProjection { $0.retentionSeconds = retention }
        metricsRegistry = context.metrics
        let secrets = CodeSecrets(secret: context.secret)
        feed = context.feed
        service = VerificationService(log: context.log, codes: codes, secrets: secrets, limits: settings.limits, clock: context.clock)
        devOutbox = context.dev ? DevOutbox(capacity: settings.devOutboxCapacity, clock: context.clock) : nil
        let answers = context.dev ? DevCaptchaAnswers() : nil
        devCaptchaAnswers = answers
        var remember: (@Sendable (String, String) -> Void)?
        if let answers { remember = { id, answer in answers.remember(id: id, answer: answer) } }
        captchas = CaptchaService(log: context.log, captchas: captchaModel, secrets: secrets, clock: context.clock, onIssued: remember)
        var senders = settings.senders
        if let outbox = devOutbox { for channel in Destination.Channel.allCases { senders[channel] = outbox } }
        if senders.isEmpty { context.logger.warning("no sender configured: no code is delivered, each is recorded as failed after its retries (use --dev or --webhook-url)") }
        for (channel, sender) in senders { senders[channel] = MeteredSender(sender, channel: channel, metrics: context.metrics) }
        worker = DeliveryWorker(
            log: context.log, codes: codes, secrets: secrets, senders: senders, clock: context.clock, sendTimeout: settings.deliveryTimeout,
            concurrency: settings.deliveryConcurrency)
    }

    public var events: [any EventDecoding] { [VerificationEvent.codec, CaptchaEvent.codec] }
    public var readModels: [any AnyLiveProjection] { [codes, captchaModel] }
    public var services: [any Service] {
        [DeliveryService(worker: worker, feed: feed), StoredCodesGauge(codes: codes, gauge: metricsRegistry.gauge(VerificationMetrics.codesStored))]
    }
    public var metrics: [MetricDescription] { VerificationMetrics.all }

    public func addRoutes(to routes: RouteContext) {
        VerificationRoutes(service: service, commands: routes.commands, clients: routes.clients).register(on: routes)
        CaptchaRoutes(service: captchas, devAnswers: devCaptchaAnswers, commands: routes.commands).register(on: routes)
        if let devOutbox { DevRoutes(outbox: devOutbox).register(on: routes) }
    }
}
