import NIOCore

/// REGISTER_BROKER's compressed body (`compressed=true`, RocketMQ's
/// `compressedRegister`): one zlib stream holding, big-endian,
///
/// ```
/// int32 n + DataVersion JSON
/// int32 topic count, then per topic: int32 n + "name readQueueNums writeQueueNums perm topicFilterType "
/// int32 n + filterServerList JSON array
/// (5.x brokers append topic-queue mappings, which are ignored)
/// ```
///
/// Topic lines are `TopicConfig.encode()` text, which has no `topicSysFlag` or
/// `order`: those decode as 0 and false, as in RocketMQ.
extension RegisterBrokerBody {
    /// Decodes a body in the form the `compressed` header flag says.
    public init(body: ByteBuffer, compressed: Bool) throws(ProtocolError) {
        if !compressed {
            try self.init(body: body)
            return
        }
        let inflated: Result<[UInt8], ProtocolError> = body.withUnsafeReadableBytes { raw in
            Result { () throws(ProtocolError) -> [UInt8] in try BodyCompression.decompress(raw) }
        }
        var r = ByteBuffer(bytes: try inflated.get())
        func chunk(_ what: String) throws(ProtocolError) -> ByteBuffer {
            guard let n = r.readInteger(as: Int32.self), n >= 0, let s = r.readSlice(length: Int(n)) else {
                throw .malformedBody("compressed register body: bad \(what)")
            }
            return s
        }
        let dataVersion = try DataVersion(body: chunk("data version"))
        guard let count = r.readInteger(as: Int32.self), count >= 0, Int(count) <= r.readableBytes / 4 else {
            throw .malformedBody("compressed register body: bad topic count")
        }
        var table: [String: TopicConfig] = [:]
        for _ in 0..<count {
            let line = String(buffer: try chunk("topic config"))
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count >= 5, let rq = Int32(parts[1]), let wq = Int32(parts[2]), let perm = Int32(parts[3]) else {
                throw .invalidField(name: "topicConfig", value: line)
            }
            let name = String(parts[0])
            table[name] = TopicConfig(
                topicName: name, readQueueNums: rq, writeQueueNums: wq, perm: perm, topicFilterType: String(parts[4]))
        }
        let filterServers = try JSONValue.parse(chunk("filter server list")).stringElements(field: "filterServerList")
        self.init(
            topicConfigSerializeWrapper: TopicConfigSerializeWrapper(topicConfigTable: table, dataVersion: dataVersion),
            filterServerList: filterServers)
    }

    /// The compressed form (RocketMQ deflates at `BEST_COMPRESSION`).
    public func compressedBody(level: Int32 = 9) throws(ProtocolError) -> ByteBuffer {
        var raw = ByteBuffer()
        func put(_ bytes: [UInt8]) {
            raw.writeInteger(Int32(bytes.count))
            raw.writeBytes(bytes)
        }
        put(topicConfigSerializeWrapper.dataVersion.jsonBytes)
        let topics = topicConfigSerializeWrapper.topicConfigTable.sorted { $0.key < $1.key }
        raw.writeInteger(Int32(topics.count))
        for (_, t) in topics {
            put(Array("\(t.topicName) \(t.readQueueNums) \(t.writeQueueNums) \(t.perm) \(t.topicFilterType) ".utf8))
        }
        put(JSONValue.strings(filterServerList).jsonBytes)
        let packed: Result<[UInt8], ProtocolError> = raw.withUnsafeReadableBytes { bytes in
            Result { () throws(ProtocolError) -> [UInt8] in try BodyCompression.compress(bytes, level: level) }
        }
        return ByteBuffer(bytes: try packed.get())
    }
}
