/// Message ids as RocketMQ prints them: upper-case hex of a binary id.
public enum MessageID {
    /// offsetMsgId: store host address (4 or 16 B) + port (4 B) + commitlog offset (8 B).
    public static func offsetMessageId(storeHost: HostAddress, physicalOffset: Int64) -> String {
        var bytes = storeHost.address
        withUnsafeBytes(of: storeHost.port.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: physicalOffset.bigEndian) { bytes.append(contentsOf: $0) }
        return hex(bytes)
    }

    /// Decodes an offsetMsgId back to its store host and commitlog offset.
    public static func decodeOffsetMessageId(_ id: String) -> (storeHost: HostAddress, physicalOffset: Int64)? {
        guard let bytes = unhex(id), bytes.count == 16 || bytes.count == 28 else { return nil }
        let addrLen = bytes.count - 12
        let port = bytes[addrLen..<addrLen + 4].reduce(Int32(0)) { $0 << 8 | Int32($1) }
        let offset = bytes[addrLen + 4..<bytes.count].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        return (HostAddress(address: Array(bytes[0..<addrLen]), port: port), offset)
    }

    static let digits = Array("0123456789ABCDEF".utf8)

    public static func hex(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func unhex(_ text: String) -> [UInt8]? {
        let u = Array(text.utf8)
        guard u.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
