/// A born host or store host as a record stores it: the raw address bytes
/// (4 for IPv4, 16 for IPv6) and a port. Kept as bytes, not text, because the
/// record and the offset message id both carry the binary form.
public struct HostAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 or 16 bytes, network order.
    public let address: [UInt8]
    public let port: Int32

    public init(ipv4 a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: Int32) {
        self.address = [a, b, c, d]
        self.port = port
    }

    /// - Precondition: `address.count` is 4 or 16.
    public init(address: [UInt8], port: Int32) {
        precondition(address.count == 4 || address.count == 16, "an IP address has 4 or 16 bytes")
        self.address = address
        self.port = port
    }

    /// Parses "a.b.c.d:port" (IPv4 only; the form RocketMQ configs use).
    public init?(parsing text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let port = Int32(parts[1]), port >= 0, port <= 65535 else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for o in octets {
            guard let v = UInt8(o) else { return nil }
            bytes.append(v)
        }
        self.address = bytes
        self.port = port
    }

    public static let loopback = HostAddress(ipv4: 127, 0, 0, 1, port: 0)

    public var isIPv6: Bool { address.count == 16 }

    /// Bytes this host takes in a record: address + int32 port.
    public var encodedLength: Int { address.count + 4 }

    public var description: String {
        if isIPv6 {
            var groups: [String] = []
            for i in stride(from: 0, to: 16, by: 2) {
                groups.append(String(UInt16(address[i]) << 8 | UInt16(address[i + 1]), radix: 16))
            }
            return "[\(groups.joined(separator: ":"))]:\(port)"
        }
        return address.map(String.init).joined(separator: ".") + ":\(port)"
    }
}
