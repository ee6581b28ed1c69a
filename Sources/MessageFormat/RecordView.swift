/// A non-owning, zero-copy view of one encoded record. Accessors read fields in
/// place, so the dispatcher and the pull path never copy bodies.
///
/// The view is only valid while the memory it points at is (a mapped segment
/// held by the caller, or a received buffer).
public struct RecordView {
    public let base: UnsafeRawPointer
    /// Bytes available from `base`; accessors never read past it.
    public let limit: Int

    public init(base: UnsafeRawPointer, limit: Int) {
        self.base = base
        self.limit = limit
    }

    public var totalSize: Int32 { base.beInt32(at: RecordLayout.totalSizeOffset) }
    public var magic: Int32 { base.beInt32(at: RecordLayout.magicOffset) }
    public var bodyCRC: UInt32 { UInt32(bitPattern: base.beInt32(at: RecordLayout.bodyCRCOffset)) }
    public var queueId: Int32 { base.beInt32(at: RecordLayout.queueIdOffset) }
    public var flag: Int32 { base.beInt32(at: RecordLayout.flagOffset) }
    public var queueOffset: Int64 { base.beInt64(at: RecordLayout.queueOffsetOffset) }
    public var physicalOffset: Int64 { base.beInt64(at: RecordLayout.physicalOffsetOffset) }
    public var sysFlag: SysFlag { SysFlag(rawValue: base.beInt32(at: RecordLayout.sysFlagOffset)) }
    public var bornTimestamp: Int64 { base.beInt64(at: RecordLayout.bornTimestampOffset) }

    var bornHostWidth: Int { sysFlag.contains(.bornHostIPv6) ? 20 : 8 }
    var storeHostWidth: Int { sysFlag.contains(.storeHostIPv6) ? 20 : 8 }
    var storeTimestampOffset: Int { RecordLayout.bornHostOffset + bornHostWidth }
    var storeHostOffset: Int { storeTimestampOffset + 8 }
    var reconsumeTimesOffset: Int { storeHostOffset + storeHostWidth }
    var bodyLengthOffset: Int { reconsumeTimesOffset + 12 }

    public var bornHost: HostAddress { host(at: RecordLayout.bornHostOffset, width: bornHostWidth) }
    public var storeTimestamp: Int64 { base.beInt64(at: storeTimestampOffset) }
    public var storeHost: HostAddress { host(at: storeHostOffset, width: storeHostWidth) }
    public var reconsumeTimes: Int32 { base.beInt32(at: reconsumeTimesOffset) }
    public var preparedTransactionOffset: Int64 { base.beInt64(at: reconsumeTimesOffset + 4) }
    public var bodyLength: Int { Int(base.beInt32(at: bodyLengthOffset)) }
    public var body: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + bodyLengthOffset + 4, count: bodyLength)
    }
    var topicLengthOffset: Int { bodyLengthOffset + 4 + bodyLength }
    public var topicBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + topicLengthOffset + 1, count: Int(base.byte(at: topicLengthOffset)))
    }
    public var topic: String { String(decoding: topicBytes, as: UTF8.self) }
    var propertiesLengthOffset: Int { topicLengthOffset + 1 + topicBytes.count }
    public var propertiesBytes: UnsafeRawBufferPointer {
        let n = Int(UInt16(bitPattern: base.beInt16(at: propertiesLengthOffset)))
        return UnsafeRawBufferPointer(start: base + propertiesLengthOffset + 2, count: n)
    }
    public var properties: [String: String] { MessageProperties.decode(propertiesBytes) }

    private func host(at offset: Int, width: Int) -> HostAddress {
        let addr = Array(UnsafeRawBufferPointer(start: base + offset, count: width - 4))
        return HostAddress(address: addr, port: base.beInt32(at: offset + width - 4))
    }

    /// Finds one property's value by scanning the bytes, without building a
    /// dictionary (the dispatcher needs only TAGS, KEYS and UNIQ_KEY).
    public func property(_ name: StaticString) -> UnsafeRawBufferPointer? {
        MessageProperties.find(name, in: propertiesBytes)
    }

    /// What a scan finds at a position.
    public enum Check: Equatable, Sendable {
        /// A whole, valid record of this many bytes.
        case record(size: Int)
        /// The end-of-segment filler; skip this many bytes to the next segment.
        case blank(size: Int)
        /// Nothing valid here: zeros (never written) or damage.
        case invalid(reason: String)
    }

    /// Verifies a record in place the way recovery must: magic, a length that
    /// fits and agrees with the variable parts, and (optionally) the body CRC.
    public static func check(at base: UnsafeRawPointer, available: Int, verifyCRC: Bool) -> Check {
        guard available >= 8 else { return .invalid(reason: "truncated header (\(available) bytes left)") }
        let size = Int(base.beInt32(at: 0))
        let magic = base.beInt32(at: 4)
        if magic == RecordLayout.blankMagic {
            guard size >= 8, size <= available else { return .invalid(reason: "blank of bad length \(size)") }
            return .blank(size: size)
        }
        guard magic == RecordLayout.magicV1 else {
            return .invalid(reason: size == 0 && magic == 0 ? "end of data" : "bad magic 0x\(String(UInt32(bitPattern: magic), radix: 16))")
        }
        guard size >= RecordLayout.fixedLengthIPv4, size <= available else {
            return .invalid(reason: "record length \(size) out of range (\(available) bytes left)")
        }
        let v = RecordView(base: base, limit: size)
        // Walk the variable parts with bounds checks before trusting any of them.
        let bodyLenAt = v.bodyLengthOffset
        guard bodyLenAt + 4 <= size else { return .invalid(reason: "header overruns record") }
        let bodyLen = Int(base.beInt32(at: bodyLenAt))
        guard bodyLen >= 0, bodyLenAt + 4 + bodyLen + 1 <= size else { return .invalid(reason: "body length \(bodyLen) overruns record") }
        let topicLenAt = bodyLenAt + 4 + bodyLen
        let topicLen = Int(base.byte(at: topicLenAt))
        guard topicLenAt + 1 + topicLen + 2 <= size else { return .invalid(reason: "topic overruns record") }
        let propLenAt = topicLenAt + 1 + topicLen
        let propLen = Int(UInt16(bitPattern: base.beInt16(at: propLenAt)))
        guard propLenAt + 2 + propLen == size else {
            return .invalid(reason: "length \(size) disagrees with parts (\(propLenAt + 2 + propLen))")
        }
        if verifyCRC {
            let crc = CRC32.checksum(UnsafeRawBufferPointer(start: base + bodyLenAt + 4, count: bodyLen))
            guard crc == v.bodyCRC else { return .invalid(reason: "body CRC mismatch") }
        }
        return .record(size: size)
    }
}

extension MessageProperties {
    /// Looks up `name` in encoded properties bytes; returns the value bytes.
    public static func find(_ name: StaticString, in props: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let key = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        var i = 0
        let n = props.count
        while i < n {
            // [i, sep) is a name, (sep, end) a value.
            var sep = i
            while sep < n && props[sep] != nameValueSeparator { sep += 1 }
            var end = sep
            while end < n && props[end] != propertySeparator { end += 1 }
            if sep < n, sep - i == key.count, memcmpEqual(props.baseAddress! + i, key.baseAddress!, key.count) {
                return UnsafeRawBufferPointer(start: props.baseAddress! + sep + 1, count: end - sep - 1)
            }
            i = end + 1
        }
        return nil
    }

    @inline(__always)
    static func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        for j in 0..<n where a.load(fromByteOffset: j, as: UInt8.self) != b.load(fromByteOffset: j, as: UInt8.self) {
            return false
        }
        return true
    }
}
