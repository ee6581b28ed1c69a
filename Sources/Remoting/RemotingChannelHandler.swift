import Logging
import NIOCore
import Protocol

/// What every connection of one server or client shares.
struct ConnectionSettings: Sendable {
    var processors: ProcessorTable
    /// Called with every connection event; the owner's bookkeeping first, then the user's listener.
    var events: ConnectionEventListener
    var logger: Logger
    /// Requests handed to processors and not yet answered, per connection, above
    /// which the connection stops reading (TCP back-pressure instead of unbounded memory).
    var maxInFlight: Int
}

/// The heart of a connection, used by servers and clients alike: dispatches
/// inbound requests to processors, correlates inbound responses with pending
/// requests, writes outbound frames.
///
/// Everything here runs on the channel's event loop, so its state (pending
/// table, in-flight count, output buffer) needs no locks. Other threads reach
/// it through ``RemotingConnection/onLoop(_:)``.
///
/// Input: the handler cuts and decodes frames itself (``FrameCodec``) from the
/// bytes the socket delivers, instead of a `ByteToMessageHandler` in front of
/// it, which would box every decoded command in an existential (an allocation
/// and a dynamic cast per frame) and pass it down the pipeline.
///
/// Output: frames are encoded straight into one buffer that is written and
/// flushed once per read burst (`channelReadComplete`) or once per event-loop
/// turn for writes coming from other threads, so a pipelined window costs one
/// `write` syscall per burst rather than one per frame, and no buffer is
/// allocated per frame.
final class RemotingChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = IOData

    private let settings: ConnectionSettings
    private var logger: Logger
    /// Set right after init; cleared when the handler is removed (breaks the
    /// connection → handler → connection cycle).
    var connection: RemotingConnection?
    private var context: ChannelHandlerContext?

    private var out: ByteBuffer
    /// Bytes of a frame not complete yet (nil when the last read ended on a frame boundary).
    private var partial: ByteBuffer?
    /// Set after a framing error: the stream cannot be resynchronised, later bytes are ignored.
    private var broken = false
    private var reading = false
    private var flushScheduled = false

    private var inFlight = 0
    private var readPaused = false
    private var draining = false
    private var drainDone = false

    var pending = PendingTable()
    /// Requests other threads queued for this connection (``RemotingConnection`` puts, we drain).
    let outbox = Outbox()

    private let maxFrameLength: Int

    init(settings: ConnectionSettings, maxFrameLength: Int = FrameCodec.defaultMaxFrameLength) {
        self.maxFrameLength = maxFrameLength
        self.settings = settings
        self.logger = settings.logger
        self.out = ByteBufferAllocator().buffer(capacity: 16 * 1024)
    }

    private var peer: String { connection?.remoteAddress ?? "?" }

    // MARK: lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        out = context.channel.allocator.buffer(capacity: 16 * 1024)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAllPending()
        self.context = nil
        connection = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        logger[metadataKey: "peer"] = "\(peer)"
        logger.debug("connection established")
        emit(.connected)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        logger.debug("connection closed")
        failAllPending()
        emit(.closed)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .all {
            logger.info("closing idle connection")
            emit(.idle)
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let e = error as? ProtocolError {
            // A framing error: the stream cannot be resynchronised (PROTOCOL.md).
            logger.warning("closing connection: \(e)")
            emit(.exception(e.description))
        } else if error is IOError || error is ChannelError {
            logger.debug("closing connection after I/O error: \(error)")
            emit(.exception("\(error)"))
        } else {
            logger.warning("closing connection after error: \(error)")
            emit(.exception("\(error)"))
        }
        context.close(promise: nil)
    }

    private func emit(_ event: ConnectionEvent) {
        guard let connection else { return }
        settings.events(connection, event)
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reading = true
        guard !broken else { return }
        var bytes = unwrapInboundIn(data)
        if var held = partial {
            partial = nil
            held.writeBuffer(&bytes)
            bytes = held
        }
        while self.context != nil {
            let frame: ByteBuffer?
            do {
                frame = try FrameCodec.readFrame(from: &bytes, maxFrameLength: maxFrameLength)
            } catch {
                // A framing error: the stream cannot be resynchronised (PROTOCOL.md).
                broken = true
                errorCaught(context: context, error: error)
                return
            }
            guard let frame else { break }
            handle(FrameCodec.decodeFrame(frame), context: context)
        }
        if bytes.readableBytes > 0 {
            // Keep only the unfinished frame; a large read buffer is not pinned for a few bytes.
            if bytes.readerIndex > 64 * 1024 { bytes.discardReadBytes() }
            partial = bytes
        }
    }

    private func handle(_ decoded: Result<RemotingCommand, UndecodableFrame>, context: ChannelHandlerContext) {
        switch decoded {
        case .success(let command):
            if command.isResponse {
                pending.take(command, logger: logger)?.resume(.success(command))
            } else {
                dispatch(command)
            }
        case .failure(let bad):
            if let answer = bad.errorResponse() {
                logger.warning("answering undecodable request: \(bad)")
                enqueue(answer)
            } else {
                logger.warning("closing connection: \(bad)")
                emit(.exception(bad.description))
                broken = true
                context.close(promise: nil)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        flushNow()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        updateReading()
        context.fireChannelWritabilityChanged()
    }

    private func dispatch(_ request: RemotingCommand) {
        guard let connection else { return }
        connection.notePeerSerializeType(request.serializeType)
        let ctx = RemotingContext(
            connection: connection, opaque: request.opaque, serializeType: request.serializeType,
            isOneway: request.isOneway)
        if draining {
            if !request.isOneway {
                enqueue(request.response(.systemBusy, remark: "[SHUTDOWN] server is shutting down"))
            }
            return
        }
        guard let entry = settings.processors.lookup(request.code) else {
            if request.isOneway {
                logger.debug("dropping one-way request with unsupported code \(request.code)")
            } else {
                enqueue(request.response(
                    .requestCodeNotSupported, remark: " request type \(request.code) not supported"))
            }
            return
        }
        inFlight += 1
        updateReading()
        switch entry {
        case .inline(let processor):
            if case .response(let response) = processor.process(request, context: ctx) {
                complete(ctx, response)
            }
        case .async(let processor):
            Task {
                let response: RemotingResponse?
                do {
                    response = try await processor.process(request, context: ctx)
                } catch {
                    response = .command(request.response(.systemError, remark: "\(error)"))
                }
                ctx.reply(response)
            }
        }
    }

    /// A processor's answer to the request described by `ctx`.
    func complete(_ ctx: RemotingContext, _ response: RemotingResponse?) {
        inFlight = max(0, inFlight - 1)
        if let response, !ctx.isOneway, context != nil {
            switch response {
            case .command(var command):
                command.opaque = ctx.opaque
                command.serializeType = ctx.serializeType
                command.isResponse = true
                enqueue(command)
            case .fileRegions(var header, let regions):
                header.opaque = ctx.opaque
                header.serializeType = ctx.serializeType
                header.isResponse = true
                writeFileRegions(header: header, regions: regions)
            }
        }
        updateReading()
        if draining && inFlight == 0 { finishDrain() }
    }

    /// Several answers at once: the output is flushed once, after the last.
    func complete(batch: [(RemotingContext, RemotingResponse?)]) {
        // Marking a burst keeps `enqueue` from scheduling a flush per answer.
        let wasReading = reading
        reading = true
        for (ctx, response) in batch { complete(ctx, response) }
        reading = wasReading
        if !reading { flushNow() }
    }

    /// Stops reading while too many requests are in flight or the socket is
    /// not writable (the peer does not read its responses); resumes below half.
    private func updateReading() {
        guard let context else { return }
        let writable = context.channel.isWritable
        if !readPaused && (inFlight >= settings.maxInFlight || !writable) {
            readPaused = true
            try? context.channel.syncOptions?.setOption(.autoRead, value: false)
        } else if readPaused && inFlight <= settings.maxInFlight / 2 && writable {
            readPaused = false
            try? context.channel.syncOptions?.setOption(.autoRead, value: true)
            context.read()
        }
    }

    // MARK: outbound

    /// Encodes `command` into the output buffer and arranges a flush.
    private func enqueue(_ command: RemotingCommand) {
        guard context != nil else { return }
        do {
            try FrameCodec.encode(command, into: &out)
        } catch {
            logger.error("cannot encode \(command): \(error)")
            if command.isResponse {
                let failure = RemotingCommand(
                    code: ResponseCode.systemError.rawValue, opaque: command.opaque, flag: RemotingCommand.Flag.response,
                    remark: "cannot encode response: \(error)", serializeType: command.serializeType)
                try? FrameCodec.encode(failure, into: &out)
            }
        }
        scheduleFlush()
    }

    private func scheduleFlush() {
        // Inside a read burst, channelReadComplete flushes.
        guard !reading, !flushScheduled, let context else { return }
        flushScheduled = true
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            loopBound.value.flushScheduled = false
            loopBound.value.flushNow()
        }
    }

    /// Writes and flushes what the output buffer holds.
    private func flushNow(promise: EventLoopPromise<Void>? = nil) {
        guard let context else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        if out.readableBytes > 0 || promise != nil {
            context.write(wrapOutboundOut(.byteBuffer(out)), promise: promise)
            context.flush()
            // Usually the socket took it all, so the storage is ours again and
            // clear() reuses it; otherwise clear() allocates fresh storage.
            if out.capacity > 1 << 20 {
                out = context.channel.allocator.buffer(capacity: 16 * 1024)
            } else {
                out.clear()
            }
        }
    }

    /// Writes the frame prefix and `header` (with the regions' total as body
    /// length), then each region as a NIO `FileRegion` (sendfile).
    private func writeFileRegions(header: RemotingCommand, regions: [FileRegionSpec]) {
        guard let context else { return }
        let prepared: PreparedFileRegions
        do {
            prepared = try PreparedFileRegions(regions)
            try FrameCodec.encodeHeader(header, bodyLength: prepared.totalLength, into: &out)
        } catch {
            logger.error("cannot send file regions: \(error)")
            var failure = header
            failure.code = ResponseCode.systemError.rawValue
            failure.remark = "cannot send message data: \(error)"
            failure.extFields = ExtFields()
            failure.body = nil
            enqueue(failure)
            return
        }
        flushNow()
        let done = context.eventLoop.makePromise(of: Void.self)
        prepared.write(to: context, handler: self, completion: done)
        done.futureResult.whenComplete { _ in prepared.release() }
        context.flush()
    }

    /// Sends what other threads queued in the connection's outbox, then
    /// flushes once (or leaves it to the read burst in progress).
    func drainOutbox() {
        let requests = outbox.takeAll()
        guard !requests.isEmpty else { return }
        for r in requests { send(r) }
        if !reading { flushNow() }
    }

    /// Encodes a request into the output buffer and registers its waiter.
    private func send(_ request: OutgoingRequest) {
        guard let context, context.channel.isActive else {
            request.waiter.resume(.failure(.channelClosed(address: peer)))
            return
        }
        do {
            try FrameCodec.encode(request.command, into: &out)
        } catch {
            request.waiter.resume(.failure(.encodeFailed(error)))
            return
        }
        let old = pending.add(
            opaque: request.command.opaque, code: request.command.code, deadline: request.deadline,
            timeoutMilliseconds: request.timeoutMilliseconds, waiter: request.waiter, handler: self, context: context)
        old?.resume(.failure(.cancelled))
    }

    /// Sends a one-way request; `continuation` learns when it is written.
    func sendOneway(_ request: RemotingCommand, continuation: UnsafeContinuation<RemotingError?, Never>) {
        guard let context, context.channel.isActive else {
            continuation.resume(returning: .channelClosed(address: peer))
            return
        }
        do {
            try FrameCodec.encode(request, into: &out)
        } catch {
            continuation.resume(returning: .encodeFailed(error))
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        let address = peer
        written.futureResult.whenComplete { result in
            switch result {
            case .success: continuation.resume(returning: nil)
            case .failure: continuation.resume(returning: .channelClosed(address: address))
            }
        }
        flushNow(promise: written)
    }

    func cancelPending(_ opaque: Int32) {
        pending.cancel(opaque)?.resume(.failure(.cancelled))
    }

    /// Expires pending requests whose deadline has passed (the timer's callback).
    func sweepPending() {
        guard let context else { return }
        for (waiter, error) in pending.sweep(address: peer, handler: self, context: context) { waiter.resume(.failure(error)) }
    }

    private func failAllPending() {
        let error = RemotingError.channelClosed(address: peer)
        for waiter in pending.removeAll() { waiter.resume(.failure(error)) }
    }

    // MARK: graceful shutdown

    /// Stops taking new requests (they get SYSTEM_BUSY), and closes the
    /// connection once the in-flight ones are answered and written.
    func beginDrain() {
        draining = true
        if inFlight == 0 { finishDrain() }
    }

    private func finishDrain() {
        guard !drainDone, let context else { return }
        drainDone = true
        // An empty write completes after every earlier write (writes complete
        // in order), so closing then loses no response.
        let written = context.eventLoop.makePromise(of: Void.self)
        let channel = context.channel
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        flushNow(promise: written)
    }
}
