/// What happened to a connection. Delivered on the connection's event loop to
/// the listener given to ``RemotingServer`` / ``RemotingClient`` (keep it short,
/// never block): the NameServer drops a broker's routes on `.closed`, the
/// broker drops a client's registrations.
public enum ConnectionEvent: Sendable, Equatable {
    /// The TCP connection is established.
    case connected
    /// Nothing was read or written for the idle timeout; the connection is being closed.
    case idle
    /// An error (framing error, I/O error, undecodable frame that cannot be answered);
    /// the connection is being closed. The text says why.
    case exception(String)
    /// The connection is closed. Always the last event, exactly once.
    case closed
}

/// Receives connection events (see ``ConnectionEvent``).
public typealias ConnectionEventListener = @Sendable (RemotingConnection, ConnectionEvent) -> Void
