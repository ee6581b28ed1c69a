import Foundation
import Logging
import MessageFormat
import NIOCore
import Protocol
import Remoting
import Synchronization

/// Sends messages to brokers found through the NameServers (RocketMQ
/// `DefaultMQProducer`): sync with retries on another broker, async within a
/// bounded in-flight window, one-way, batch, and orderly by key.
public final class Producer: Sendable {
    public struct Configuration: Sendable {
        public var group: String
        public var options: ClientOptions
        /// Timeout of a whole sync send, retries included (sendMsgTimeout).
        public var sendTimeout: Duration = .seconds(3)
        /// Extra attempts of a sync send on another queue (retryTimesWhenSendFailed).
        public var retryTimesWhenSendFailed = 2
        /// Extra attempts of an async send after a retryable failure (retryTimesWhenSendAsyncFailed).
        public var retryTimesWhenSendAsyncFailed = 2
        /// Largest body (or batch body) accepted, before compression (maxMessageSize).
        public var maxMessageSize = 4 * 1024 * 1024
        /// Bodies longer than this are zlib-compressed (compressMsgBodyOverHowmuch).
        public var compressThreshold = BodyCompression.defaultThreshold
        public var compressLevel = BodyCompression.defaultLevel
        /// Most `sendAsync` calls awaiting their response at once.
        public var maxInFlightAsync = 1024
        /// Avoid brokers that were slow or failed (sendLatencyFaultEnable, off by default).
        public var sendLatencyFaultEnable = false
        /// How often the producer group is announced to the brokers (HEART_BEAT; also after a new route).
        public var heartbeatInterval: Duration = .seconds(30)
        /// Queues per broker of a topic auto-created on first send (defaultTopicQueueNums).
        public var defaultTopicQueueNums: Int32 = 4

        public init(group: String, options: ClientOptions) {
            self.group = group
            self.options = options
        }
    }

    public let configuration: Configuration
    let core: ClientCore
    private let ids = MessageClientIDGenerator()
    let window: InFlightWindow
    private let faults: LatencyFaultStrategy
    private let publishInfo = Mutex<[String: TopicPublishInfo]>([:])

    public init(configuration: Configuration, logger: Logger = Logger(label: "peakmq.producer")) {
        self.configuration = configuration
        core = ClientCore(options: configuration.options, logger: logger)
        window = InFlightWindow(limit: max(1, configuration.maxInFlightAsync))
        faults = LatencyFaultStrategy(enabled: configuration.sendLatencyFaultEnable)
    }

    /// Starts route refreshing. A producer starts once.
    public func start() async throws(ClientError) {
        try core.markStarted()
        core.every(configuration.options.routeRefreshInterval) { [weak self] in await self?.refreshRoutes() }
        core.every(configuration.heartbeatInterval) { [weak self] in await self?.heartbeat() }
    }

    /// Waits for in-flight async sends, then closes every connection. Later sends throw ``ClientError/shutDown``.
    public func shutdown() async {
        guard core.markStopped() else { return }
        window.close()
        // Every async send holds a slot until its completion has returned.
        await window.waitUntilIdle()
        await core.unregister(producerGroup: configuration.group)
        await core.close()
    }

    // MARK: sending

    /// Sends `message` and waits for the broker's answer, retrying on another
    /// broker (or queue) up to ``Configuration/retryTimesWhenSendFailed`` times
    /// for remoting failures and the retryable codes, within ``Configuration/sendTimeout``.
    public func send(_ message: Message) async throws(ClientError) -> SendResult {
        try core.checkRunning()
        let prepared = try prepare(message)
        return try await sendWithRetries(prepared, attempts: 1 + max(0, configuration.retryTimesWhenSendFailed))
    }

    /// Sends `message` in the background and reports the result to `completion`
    /// (retried after retryable failures up to ``Configuration/retryTimesWhenSendAsyncFailed``
    /// times). Returns once the message is handed over; waits first while
    /// ``Configuration/maxInFlightAsync`` sends are in flight.
    ///
    /// `completion` runs once, usually on the client's network thread (as the
    /// answer is read; a retry or a first send to a topic runs it from a task):
    /// keep it short and never block in it. No task is created per message once
    /// the topic's route and the broker's connection are known.
    /// - Throws: validation errors at once; ``ClientError/shutDown``.
    public func sendAsync(_ message: Message, completion: @escaping @Sendable (Result<SendResult, ClientError>) -> Void)
        async throws(ClientError)
    {
        try core.checkRunning()
        let prepared = try prepare(message)
        do { try await window.acquire() } catch let e as ClientError { throw e } catch { throw .illegalState("cancelled") }
        dispatchAsync(prepared, completion: completion)
    }

    /// ``sendAsync(_:completion:)`` without waiting: returns false (and sends
    /// nothing) when ``Configuration/maxInFlightAsync`` sends are in flight.
    /// For callers that must not suspend, such as a pacer running on the
    /// client's event loop (with ``ClientOptions/eventLoopGroup``).
    /// - Throws: validation errors at once; ``ClientError/shutDown``.
    public func sendAsyncNow(_ message: Message, completion: @escaping @Sendable (Result<SendResult, ClientError>) -> Void)
        throws(ClientError) -> Bool
    {
        try core.checkRunning()
        let prepared = try prepare(message)
        guard try window.tryAcquire() else { return false }
        dispatchAsync(prepared, completion: completion)
        return true
    }

    /// Sends a prepared message holding a window slot (see ``sendAsync(_:completion:)``).
    private func dispatchAsync(_ prepared: PreparedMessage, completion: @escaping @Sendable (Result<SendResult, ClientError>) -> Void) {
        let attempts = 1 + max(0, configuration.retryTimesWhenSendAsyncFailed)
        let deadline = ContinuousClock.now + configuration.sendTimeout
        // The slot is given back after the completion has run, so shutdown() waits for it.
        let finish: @Sendable (Result<SendResult, ClientError>) -> Void = { [window] result in
            completion(result)
            window.release()
        }
        if let info = publishInfo.withLock({ $0[prepared.topic] }), !info.queues.isEmpty {
            sendAsyncAttempt(prepared, info: info, attemptsLeft: attempts, deadline: deadline, finish: finish)
        } else {
            retryAsync(prepared, attempts: attempts, failedBroker: nil, lastError: nil, deadline: deadline, finish: finish)
        }
    }

    /// One attempt of an async send, answered by a callback on the network
    /// thread; a retryable failure continues in a task (route refresh, another broker).
    private func sendAsyncAttempt(_ prepared: PreparedMessage, info: TopicPublishInfo, attemptsLeft: Int,
                                  deadline: ContinuousClock.Instant,
                                  finish: @escaping @Sendable (Result<SendResult, ClientError>) -> Void) {
        guard let queue = info.select(avoiding: { [faults] in !faults.isAvailable($0.brokerName) }) else {
            finish(.failure(.routeNotFound(topic: prepared.topic, remark: "no writable queue")))
            return
        }
        guard let address = core.routes.brokerAddress(queue.brokerName) else {
            retryAsync(prepared, attempts: attemptsLeft, failedBroker: nil, lastError: nil, deadline: deadline, finish: finish)
            return
        }
        let began = ContinuousClock.now
        let left = deadline - began
        guard left > .zero else {
            finish(.failure(.timeout("send to \(prepared.topic) took over \(configuration.sendTimeout)")))
            return
        }
        let request = prepared.request(queue: queue, producerGroup: configuration.group, info: info,
                                       serializeType: core.options.serializeType,
                                       defaultTopicQueueNums: configuration.defaultTopicQueueNums, oneway: false)
        core.remoting.invoke(request, to: address, timeout: left) { [self] response in
            let outcome = response.mapError(ClientError.init).flatMap { Self.sendResult($0, prepared, queue) }
            let latency = faults.enabled ? ContinuousClock.now - began : .zero
            switch outcome {
            case .success:
                faults.update(brokerName: queue.brokerName, latency: latency, isolation: false)
                finish(outcome)
            case .failure(let error):
                faults.update(brokerName: queue.brokerName, latency: latency, isolation: true)
                core.logger.debug("async send to \(queue) failed: \(error)")
                if error.isRetryableForSend && attemptsLeft > 1 {
                    retryAsync(prepared, attempts: attemptsLeft - 1, failedBroker: queue.brokerName, lastError: error,
                               deadline: deadline, finish: finish)
                } else {
                    finish(outcome)
                }
            }
        }
    }

    /// The rest of an async send in a task: the first send to a topic (route
    /// look-up, producer heartbeat), a broker not connected yet, retries.
    private func retryAsync(_ prepared: PreparedMessage, attempts: Int, failedBroker: String?, lastError: ClientError?,
                            deadline: ContinuousClock.Instant,
                            finish: @escaping @Sendable (Result<SendResult, ClientError>) -> Void) {
        Task(executorPreference: core.options.taskExecutor) { [self] in
            do throws(ClientError) {
                finish(.success(try await sendWithRetries(prepared, attempts: attempts, failedBroker: failedBroker,
                                                          lastError: lastError, deadline: deadline)))
            } catch {
                finish(.failure(error))
            }
        }
    }

    /// Sends `message` without waiting for an answer (one attempt); returns once written.
    public func sendOneway(_ message: Message) async throws(ClientError) {
        try core.checkRunning()
        let prepared = try prepare(message)
        let info = try await publishInfo(for: prepared.topic)
        guard let queue = info.select(avoiding: { [faults] in !faults.isAvailable($0.brokerName) }) else {
            throw .routeNotFound(topic: prepared.topic, remark: "no writable queue")
        }
        let address = try await core.masterAddress(queue.brokerName, topic: prepared.topic)
        let request = prepared.request(queue: queue, producerGroup: configuration.group, info: info, serializeType: core.options.serializeType,
                                       defaultTopicQueueNums: configuration.defaultTopicQueueNums, oneway: true)
        do { try await core.remoting.invokeOneway(request, to: address) } catch { throw ClientError(error) }
    }

    /// Sends `messages` (one topic, no delay) as one SEND_BATCH_MESSAGE to one queue.
    public func send(batch messages: [Message]) async throws(ClientError) -> SendResult {
        try core.checkRunning()
        let prepared = try prepareBatch(messages)
        return try await sendWithRetries(prepared, attempts: 1 + max(0, configuration.retryTimesWhenSendFailed))
    }

    /// Sends `message` to the queue chosen by `key`: Java's `String.hashCode` of
    /// the key modulo the queue count, so messages of one key keep their order
    /// in one queue. One attempt (a retry elsewhere would break the order).
    public func send(_ message: Message, orderKey key: String) async throws(ClientError) -> SendResult {
        try await send(message) { queues in
            queues[Int(abs(Int64(key.javaHashCode)) % Int64(queues.count))]
        }
    }

    /// Sends `message` to the queue `selector` picks from the topic's writable queues (one attempt).
    public func send(_ message: Message, selector: ([MessageQueue]) -> MessageQueue) async throws(ClientError) -> SendResult {
        try core.checkRunning()
        let prepared = try prepare(message)
        let info = try await publishInfo(for: prepared.topic)
        guard !info.queues.isEmpty else { throw .routeNotFound(topic: prepared.topic, remark: "no writable queue") }
        let queue = selector(info.queues)
        return try await attempt(prepared, queue: queue, info: info, timeout: configuration.sendTimeout)
    }

    /// The writable queues of `topic` (fetching its route if needed).
    public func queues(of topic: String) async throws(ClientError) -> [MessageQueue] {
        try await publishInfo(for: topic).queues
    }

    // MARK: internals

    private func prepare(_ message: Message) throws(ClientError) -> PreparedMessage {
        try TopicValidator.check(message.topic)
        try checkBodySize(message.body.count)
        try message.checkUserProperties()
        let uniq = ids.next()
        var body = message.body
        var sysFlag: SysFlag = []
        if body.count > configuration.compressThreshold {
            do {
                body = try BodyCompression.compress(body, level: configuration.compressLevel)
                sysFlag.insert(.compressed)
            } catch { throw .illegalMessage("cannot compress the body: \(error)") }
        }
        let props = message.encodedWireProperties(uniqueKey: uniq)
        return PreparedMessage(topic: message.topic, body: ByteBuffer(bytes: body), properties: props, sysFlag: sysFlag.rawValue,
                               flag: message.flag, isBatch: false, msgId: uniq)
    }

    private func prepareBatch(_ messages: [Message]) throws(ClientError) -> PreparedMessage {
        guard let topic = messages.first?.topic else { throw .illegalMessage("the batch is empty") }
        try TopicValidator.check(topic)
        var ids: [String] = []
        ids.reserveCapacity(messages.count)
        // The entries go straight into one buffer: no buffer or dictionary per message.
        var body = ByteBufferAllocator().buffer(capacity: messages.reduce(0) { $0 + $1.body.count + 96 })
        for m in messages {
            guard m.topic == topic else { throw .illegalMessage("a batch holds messages of one topic") }
            guard m.delayLevel == 0 else { throw .illegalMessage("a batch cannot hold delayed messages") }
            try checkBodySize(m.body.count)
            try m.checkUserProperties()
            let uniq = self.ids.next()
            ids.append(uniq)
            let properties = m.encodedWireProperties(uniqueKey: uniq)
            // (Typed throws inside this closure crashed the 6.3 optimiser; the error is mapped after it.)
            let failure: ProtocolError? = m.body.withUnsafeBytes { bytes in
                do throws(ProtocolError) { try BatchCodec.encodeEntry(flag: m.flag, body: bytes, properties: properties, into: &body) } catch {
                    return error
                }
                return nil
            }
            if let failure { throw .illegalMessage("\(failure)") }
        }
        try checkBodySize(body.readableBytes)
        let props = MessageProperties.encode([(PropertyKey.uniqueClientMessageIdKeyIndex, self.ids.next()),
                                              (PropertyKey.waitStoreMsgOK, "true")])
        return PreparedMessage(topic: topic, body: body, properties: props, sysFlag: 0, flag: 0,
                               isBatch: true, msgId: ids.joined(separator: ","))
    }

    private func checkBodySize(_ size: Int) throws(ClientError) {
        guard size > 0 else { throw .illegalMessage("the body is empty") }
        guard size <= configuration.maxMessageSize else { throw .messageTooLarge(size: size, max: configuration.maxMessageSize) }
    }

    /// Up to `attempts` attempts within the send timeout (or until `deadline`),
    /// each on another broker than the one that failed last (`failedBroker`:
    /// the one an async send's first attempt failed on, whose route is then refreshed first).
    private func sendWithRetries(_ prepared: PreparedMessage, attempts: Int, failedBroker: String? = nil,
                                 lastError: ClientError? = nil, deadline: ContinuousClock.Instant? = nil)
        async throws(ClientError) -> SendResult
    {
        let deadline = deadline ?? ContinuousClock.now + configuration.sendTimeout
        var info = try await publishInfo(for: prepared.topic)
        var lastBroker = failedBroker
        var lastError = lastError ?? ClientError.routeNotFound(topic: prepared.topic, remark: "no writable queue")
        for n in 0..<attempts {
            if n > 0 || failedBroker != nil, let fresh = try? await publishInfo(for: prepared.topic, refresh: true) { info = fresh }
            guard let queue = info.select(avoiding: { [faults] q in q.brokerName == lastBroker || !faults.isAvailable(q.brokerName) })
            else { break }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw .timeout("send to \(prepared.topic) took over \(configuration.sendTimeout)") }
            let began = ContinuousClock.now
            do {
                let result = try await attempt(prepared, queue: queue, info: info, timeout: left)
                faults.update(brokerName: queue.brokerName, latency: ContinuousClock.now - began, isolation: false)
                return result
            } catch {
                faults.update(brokerName: queue.brokerName, latency: ContinuousClock.now - began, isolation: true)
                core.logger.debug("send to \(queue) failed (attempt \(n + 1) of \(attempts)): \(error)")
                guard error.isRetryableForSend else { throw error }
                lastError = error
                lastBroker = queue.brokerName
            }
        }
        throw lastError
    }

    private func attempt(_ prepared: PreparedMessage, queue: MessageQueue, info: TopicPublishInfo, timeout: Duration)
        async throws(ClientError) -> SendResult
    {
        let address = try await core.masterAddress(queue.brokerName, topic: prepared.topic)
        let request = prepared.request(queue: queue, producerGroup: configuration.group, info: info,
                                       serializeType: core.options.serializeType,
                                       defaultTopicQueueNums: configuration.defaultTopicQueueNums, oneway: false)
        let response = try await core.invoke(request, to: address, timeout: timeout)
        return try Self.sendResult(response, prepared, queue).get()
    }

    /// A send's response as a result: the broker's refusal codes become ``ClientError/broker(code:remark:)``.
    private static func sendResult(_ response: RemotingCommand, _ prepared: PreparedMessage, _ queue: MessageQueue)
        -> Result<SendResult, ClientError>
    {
        let status: SendStatus
        switch response.responseCode {
        case .success: status = .sendOK
        case .flushDiskTimeout: status = .flushDiskTimeout
        case .flushSlaveTimeout: status = .flushSlaveTimeout
        case .slaveNotAvailable: status = .slaveNotAvailable
        default: return .failure(.broker(code: response.responseCode, remark: response.remark))
        }
        do throws(ClientError) {
            let h = try response.header(SendMessageResponseHeader.self)
            return .success(SendResult(status: status, msgId: prepared.msgId, offsetMsgId: h.msgId,
                                       queue: MessageQueue(topic: queue.topic, brokerName: queue.brokerName, queueId: h.queueId),
                                       queueOffset: h.queueOffset))
        } catch {
            return .failure(error)
        }
    }

    /// The publish info of `topic`; for a topic the NameServers do not know, the
    /// default topic's (TBW102) route, so that the broker creates it on first send.
    private func publishInfo(for topic: String, refresh: Bool = false) async throws(ClientError) -> TopicPublishInfo {
        if !refresh, let info = publishInfo.withLock({ $0[topic] }), !info.queues.isEmpty { return info }
        let info: TopicPublishInfo
        do {
            let route = refresh ? try await core.routes.refresh(topic) : try await core.routes.route(topic)
            info = TopicPublishInfo(topic: topic, route: route)
        } catch .routeNotFound(let t, let remark) {
            guard let route = try? await core.routes.route(SendMessageRequestHeader.defaultTopicName) else {
                throw .routeNotFound(topic: t, remark: remark)
            }
            info = TopicPublishInfo(topic: topic, route: route, fromDefaultTopic: true,
                                    maxQueuesPerBroker: configuration.defaultTopicQueueNums)
        }
        guard !info.queues.isEmpty else { throw .routeNotFound(topic: topic, remark: "no writable queue on a master") }
        let isNew = publishInfo.withLock { $0.updateValue(info, forKey: topic) == nil }
        if isNew { await heartbeat() }
        return info
    }

    private func heartbeat() async {
        await core.sendHeartbeat(HeartbeatData(clientID: core.options.clientID,
                                               producerDataSet: [ProducerData(groupName: configuration.group)]))
    }

    private func refreshRoutes() async {
        await core.routes.refreshAll(logger: core.logger)
        for topic in publishInfo.withLock({ Array($0.keys) }) {
            _ = try? await publishInfo(for: topic, refresh: true)
        }
    }
}

/// A validated message ready for the wire (properties encoded, body compressed if large).
struct PreparedMessage: Sendable {
    var topic: String
    var body: ByteBuffer
    var properties: String
    var sysFlag: Int32
    var flag: Int32
    var isBatch: Bool
    var msgId: String

    func request(queue: MessageQueue, producerGroup: String, info: TopicPublishInfo, serializeType: SerializeType,
                 defaultTopicQueueNums: Int32, oneway: Bool) -> RemotingCommand {
        let header = SendMessageRequestHeader(
            producerGroup: producerGroup, topic: topic, defaultTopicQueueNums: defaultTopicQueueNums,
            queueId: queue.queueId, sysFlag: sysFlag, bornTimestamp: Int64(Date().timeIntervalSince1970 * 1000),
            flag: flag, properties: properties, batch: isBatch)
        let code: RequestCode = isBatch ? .sendBatchMessage : .sendMessageV2
        return .request(code, header: header.v2, body: body, opaque: 0, oneway: oneway,
                        serializeType: serializeType)
    }
}
