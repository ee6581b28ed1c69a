/// Message ids as RocketMQ prints them: upper-case hex of a binary id.
public enum MessageID {
    /// offsetMsgId: store host address (4 or 16 B) + port (4 B) + commitlog offset (8 B).
    public static func offsetMessageId(storeHost: HostAddress, physicalOffset: Int64) -> String {
        // Every send's answer carries one: written straight into the string's storage.
        let address = storeHost.address
        let port = UInt32(bitPattern: storeHost.port)
        let offset = UInt64(bitPattern: physicalOffset)
        return String(unsafeUninitializedCapacity: (address.count + 12) * 2) { out in
            var p = 0
            func put(_ b: UInt8) {
                out[p] = digits[Int(b >> 4)]
                out[p + 1] = digits[Int(b & 0xF)]
                p += 2
            }
            for b in address { put(b) }
            for shift in stride(from: 24, through: 0, by: -8) { put(UInt8(truncatingIfNeeded: port >> UInt32(shift))) }
            for shift in stride(from: 56, through: 0, by: -8) { put(UInt8(truncatingIfNeeded: offset >> UInt64(shift))) }
            return p
        }
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
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (i, b) in bytes.enumerated() {
                out[2 * i] = digits[Int(b >> 4)]
                out[2 * i + 1] = digits[Int(b & 0xF)]
            }
            return bytes.count * 2
        }
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
