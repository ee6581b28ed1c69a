/// Writes records in the CommitLog layout. Encoding happens outside the store's
/// lock; the lock holder only patches the three assigned fields with `patch`.
public enum RecordEncoder {
    /// Encodes one record at `out`, which must have `fields.recordLength(bodyLength:)`
    /// bytes. Queue offset, physical offset and store timestamp are written as 0.
    /// - Returns: the number of bytes written.
    @discardableResult
    public static func encode(
        _ fields: RecordFields, body: UnsafeRawBufferPointer, bodyCRC: UInt32? = nil,
        into out: UnsafeMutableRawPointer
    ) -> Int {
        var topic = fields.topic
        var properties = fields.properties
        return topic.withUTF8 { topicBytes in
            properties.withUTF8 { propBytes in
                encode(fields, topic: UnsafeRawBufferPointer(topicBytes), properties: UnsafeRawBufferPointer(propBytes),
                       body: body, bodyCRC: bodyCRC, into: out)
            }
        }
    }

    /// Encodes with topic and properties already as UTF-8 bytes.
    @inlinable
    public static func encode(
        _ fields: RecordFields, topic: UnsafeRawBufferPointer, properties: UnsafeRawBufferPointer,
        body: UnsafeRawBufferPointer, bodyCRC: UInt32?, into out: UnsafeMutableRawPointer
    ) -> Int {
        let h = headLength(fields)
        encodeParts(fields, topic: topic, properties: properties, bodyLength: body.count,
                    bodyCRC: bodyCRC ?? CRC32.checksum(body), head: out, tail: out + h + body.count)
        if body.count > 0 { (out + h).copyMemory(from: body.baseAddress!, byteCount: body.count) }
        return h + body.count + tailLength(topic: topic.count, properties: properties.count)
    }

    /// Bytes before the body: the fixed fields through BODYLEN.
    @inlinable
    public static func headLength(_ fields: RecordFields) -> Int {
        RecordLayout.fixedLengthIPv4 - 3 + (fields.bornHost.isIPv6 ? 12 : 0) + (fields.storeHost.isIPv6 ? 12 : 0)
    }

    /// Bytes after the body: topic length, topic, properties length, properties.
    @inlinable
    public static func tailLength(topic: Int, properties: Int) -> Int { 3 + topic + properties }

    /// Encodes a record in three pieces — head (through BODYLEN), body, tail —
    /// without touching the body: the caller copies the body once, straight to
    /// its destination. `head` and `tail` must have `headLength`/`tailLength` bytes.
    @inlinable
    public static func encodeParts(
        _ fields: RecordFields, topic: UnsafeRawBufferPointer, properties: UnsafeRawBufferPointer,
        bodyLength: Int, bodyCRC: UInt32, head: UnsafeMutableRawPointer, tail: UnsafeMutableRawPointer
    ) {
        let bornV6 = fields.bornHost.isIPv6
        let storeV6 = fields.storeHost.isIPv6
        let total = RecordLayout.recordLength(
            bodyLength: bodyLength, topicLength: topic.count, propertiesLength: properties.count,
            bornHostIPv6: bornV6, storeHostIPv6: storeV6)
        var sys = fields.sysFlag.rawValue & ~(SysFlag.bornHostIPv6.rawValue | SysFlag.storeHostIPv6.rawValue)
        if bornV6 { sys |= SysFlag.bornHostIPv6.rawValue }
        if storeV6 { sys |= SysFlag.storeHostIPv6.rawValue }
        head.storeBE(Int32(total), at: RecordLayout.totalSizeOffset)
        head.storeBE(RecordLayout.magicV1, at: RecordLayout.magicOffset)
        head.storeBE(Int32(bitPattern: bodyCRC), at: RecordLayout.bodyCRCOffset)
        head.storeBE(fields.queueId, at: RecordLayout.queueIdOffset)
        head.storeBE(fields.flag, at: RecordLayout.flagOffset)
        head.storeBE(Int64(0), at: RecordLayout.queueOffsetOffset)
        head.storeBE(Int64(0), at: RecordLayout.physicalOffsetOffset)
        head.storeBE(sys, at: RecordLayout.sysFlagOffset)
        head.storeBE(fields.bornTimestamp, at: RecordLayout.bornTimestampOffset)
        var pos = writeHost(fields.bornHost, head, RecordLayout.bornHostOffset)
        head.storeBE(Int64(0), at: pos)
        pos = writeHost(fields.storeHost, head, pos + 8)
        head.storeBE(fields.reconsumeTimes, at: pos)
        head.storeBE(fields.preparedTransactionOffset, at: pos + 4)
        head.storeBE(Int32(bodyLength), at: pos + 12)
        tail.storeBytes(of: UInt8(truncatingIfNeeded: topic.count), toByteOffset: 0, as: UInt8.self)
        if topic.count > 0 { (tail + 1).copyMemory(from: topic.baseAddress!, byteCount: topic.count) }
        tail.storeBE(Int16(truncatingIfNeeded: properties.count), at: 1 + topic.count)
        if properties.count > 0 { (tail + 3 + topic.count).copyMemory(from: properties.baseAddress!, byteCount: properties.count) }
    }

    @inlinable @inline(__always)
    static func writeHost(_ host: HostAddress, _ out: UnsafeMutableRawPointer, _ pos: Int) -> Int {
        host.address.withUnsafeBytes { (out + pos).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        out.storeBE(host.port, at: pos + host.address.count)
        return pos + host.address.count + 4
    }

    /// Fills in the fields only the store knows, inside its critical section.
    @inlinable @inline(__always)
    public static func patch(
        _ record: UnsafeMutableRawPointer, queueOffset: Int64, physicalOffset: Int64, storeTimestamp: Int64
    ) {
        record.storeBE(queueOffset, at: RecordLayout.queueOffsetOffset)
        record.storeBE(physicalOffset, at: RecordLayout.physicalOffsetOffset)
        let sys = UnsafeRawPointer(record).beInt32(at: RecordLayout.sysFlagOffset)
        let bornV6 = sys & SysFlag.bornHostIPv6.rawValue != 0
        record.storeBE(storeTimestamp, at: RecordLayout.storeTimestampOffset(bornHostIPv6: bornV6))
    }

    /// Writes the end-of-segment blank: `[int32 length][int32 blankMagic]`.
    public static func writeBlank(length: Int, into out: UnsafeMutableRawPointer) {
        out.storeBE(Int32(length), at: 0)
        out.storeBE(RecordLayout.blankMagic, at: 4)
    }
}
