import NIOCore

/// `host:port` as RocketMQ writes broker and NameServer addresses.
struct HostPort: Sendable, Hashable {
    var host: String
    var port: Int

    /// Parses `host:port` (the last colon splits, so `[::1]:9876` works too).
    init(_ address: String) throws(RemotingError) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (1...65535).contains(port)
        else { throw .invalidAddress(address) }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalidAddress(address) }
        self.host = host
        self.port = port
    }
}

extension SocketAddress {
    /// `ip:port`, the form RocketMQ uses in its tables (`RemotingHelper.parseChannelRemoteAddr`).
    var hostPort: String {
        let ip = ipAddress ?? "?"
        let p = port.map(String.init) ?? "?"
        if case .v6 = self { return "[\(ip)]:\(p)" }
        return "\(ip):\(p)"
    }
}
