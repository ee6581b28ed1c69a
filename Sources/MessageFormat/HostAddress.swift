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
    /// One pass over the UTF-8 bytes: the broker parses every send's peer address.
    public init?(parsing text: String) {
        var octets: [UInt8] = []
        octets.reserveCapacity(4)
        var value = 0
        var digits = 0
        var port: Int32?
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value * 10 + Int(c &- UInt8(ascii: "0"))
                digits += 1
                // Five digits cover every port; more is malformed (and could overflow).
                guard digits <= 5 else { return nil }
            case UInt8(ascii: "."):
                guard port == nil, digits > 0, digits <= 3, value <= 255, octets.count < 3 else { return nil }
                octets.append(UInt8(value))
                value = 0
                digits = 0
            case UInt8(ascii: ":"):
                guard port == nil, digits > 0, digits <= 3, value <= 255, octets.count == 3 else { return nil }
                octets.append(UInt8(value))
                port = -1
                value = 0
                digits = 0
            default:
                return nil
            }
        }
        guard port == -1, digits > 0, value <= 65535 else { return nil }
        self.address = octets
        self.port = Int32(value)
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
