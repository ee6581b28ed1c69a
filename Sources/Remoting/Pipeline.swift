import NIOCore
import NIOPosix
import Protocol

/// Limits shared by server and client channels.
public struct ChannelLimits: Sendable {
    /// The most bytes one frame may take (RocketMQ `com.rocketmq.remoting.frameMaxLength`).
    public var maxFrameLength = FrameCodec.defaultMaxFrameLength
    /// A connection with no read and no write for this long is closed
    /// (`serverChannelMaxIdleTimeSeconds` / `clientChannelMaxIdleTimeSeconds`,
    /// 120 s). nil = never.
    public var idleTimeout: TimeAmount? = .seconds(120)
    /// Unanswered requests per connection above which it stops reading.
    public var maxInFlightPerConnection = 4096

    public init() {}
}

enum Pipeline {
    /// Builds a connection's pipeline — idle detector, the remoting handler —
    /// on the channel's event loop, and returns its handle.
    ///
    /// The Protocol module's `RemotingFrameDecoder` and `RemotingFrameEncoder`
    /// are not in the pipeline: the handler cuts and decodes frames itself and
    /// encodes them into one buffer per flush (see ``RemotingChannelHandler``),
    /// which saves an allocation, a dynamic cast and a pipeline pass per frame.
    static func configure(
        _ channel: any Channel, limits: ChannelLimits, settings: ConnectionSettings, remoteAddress: String,
        opaques: OpaqueGenerator
    ) throws -> RemotingConnection {
        let handler = RemotingChannelHandler(settings: settings, maxFrameLength: limits.maxFrameLength)
        let connection = RemotingConnection(
            channel: channel, handler: handler, remoteAddress: remoteAddress, opaques: opaques)
        handler.connection = connection
        let ops = channel.pipeline.syncOperations
        if let idle = limits.idleTimeout {
            try ops.addHandler(IdleStateHandler(allTimeout: idle))
        }
        try ops.addHandler(handler)
        return connection
    }
}

enum EventLoops {
    /// `group` when given (not owned), else a new group of `threads` threads
    /// that the caller owns and shuts down.
    static func use(_ group: (any EventLoopGroup)?, orMake threads: Int) -> (any EventLoopGroup, owned: Bool) {
        if let group { return (group, false) }
        return (MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads)), true)
    }
}
