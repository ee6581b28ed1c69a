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

    /// Encodes with topic and properties already as UTF-8 bytes (the hot path).
    @inlinable
    public static func encode(
        _ fields: RecordFields, topic: UnsafeRawBufferPointer, properties: UnsafeRawBufferPointer,
        body: UnsafeRawBufferPointer, bodyCRC: UInt32?, into out: UnsafeMutableRawPointer
    ) -> Int {
        let bornV6 = fields.bornHost.isIPv6
        let storeV6 = fields.storeHost.isIPv6
        let total = RecordLayout.recordLength(
            bodyLength: body.count, topicLength: topic.count, propertiesLength: properties.count,
            bornHostIPv6: bornV6, storeHostIPv6: storeV6)
        var sys = fields.sysFlag.rawValue & ~(SysFlag.bornHostIPv6.rawValue | SysFlag.storeHostIPv6.rawValue)
        if bornV6 { sys |= SysFlag.bornHostIPv6.rawValue }
        if storeV6 { sys |= SysFlag.storeHostIPv6.rawValue }
        let crc = bodyCRC ?? CRC32.checksum(body)

        out.storeBE(Int32(total), at: RecordLayout.totalSizeOffset)
        out.storeBE(RecordLayout.magicV1, at: RecordLayout.magicOffset)
        out.storeBE(Int32(bitPattern: crc), at: RecordLayout.bodyCRCOffset)
        out.storeBE(fields.queueId, at: RecordLayout.queueIdOffset)
        out.storeBE(fields.flag, at: RecordLayout.flagOffset)
        out.storeBE(Int64(0), at: RecordLayout.queueOffsetOffset)
        out.storeBE(Int64(0), at: RecordLayout.physicalOffsetOffset)
        out.storeBE(sys, at: RecordLayout.sysFlagOffset)
        out.storeBE(fields.bornTimestamp, at: RecordLayout.bornTimestampOffset)
        var pos = RecordLayout.bornHostOffset
        pos = writeHost(fields.bornHost, out, pos)
        out.storeBE(Int64(0), at: pos)  // store timestamp, patched under the lock
        pos += 8
        pos = writeHost(fields.storeHost, out, pos)
        out.storeBE(fields.reconsumeTimes, at: pos)
        pos += 4
        out.storeBE(fields.preparedTransactionOffset, at: pos)
        pos += 8
        out.storeBE(Int32(body.count), at: pos)
        pos += 4
        if body.count > 0 { (out + pos).copyMemory(from: body.baseAddress!, byteCount: body.count) }
        pos += body.count
        out.storeBytes(of: UInt8(truncatingIfNeeded: topic.count), toByteOffset: pos, as: UInt8.self)
        pos += 1
        if topic.count > 0 { (out + pos).copyMemory(from: topic.baseAddress!, byteCount: topic.count) }
        pos += topic.count
        out.storeBE(Int16(truncatingIfNeeded: properties.count), at: pos)
        pos += 2
        if properties.count > 0 { (out + pos).copyMemory(from: properties.baseAddress!, byteCount: properties.count) }
        pos += properties.count
        return pos
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
