import Protocol
import Remoting
import Store

/// VIEW_MESSAGE_BY_ID (by commitlog offset) and QUERY_MESSAGE (by key, via the
/// IndexFile). Both answer with raw records as file regions, like a pull. Run
/// off the event loop: index look-ups may touch the disk.
struct QueryMessageProcessor: RemotingProcessor {
    let store: MessageStore

    func process(_ request: RemotingCommand, context: RemotingContext) async throws -> RemotingResponse? {
        if request.requestCode == .viewMessageById {
            let h: ViewMessageRequestHeader = try request.decodeHeader()
            guard let r = store.selectRecord(atPhysicalOffset: h.offset) else {
                return .command(request.response(.systemError, remark: "can not find message by the offset, \(h.offset)"))
            }
            return .fileRegions(header: request.response(.success), regions: [Self.region(r)])
        }
        let h: QueryMessageRequestHeader = try request.decodeHeader()
        let found = store.queryMessages(topic: h.topic, key: h.key, maxCount: Int(max(1, min(h.maxNum, 64))),
                                        begin: h.beginTimestamp, end: h.endTimestamp)
        let regions = found.compactMap { store.selectRecord(atPhysicalOffset: $0.physicalOffset) }.map(Self.region)
        guard !regions.isEmpty else {
            return .command(request.response(.queryNotFound, remark: "can not find message, maybe time range not correct"))
        }
        let header = QueryMessageResponseHeader(indexLastUpdateTimestamp: 0, indexLastUpdatePhyoffset: 0)
        return .fileRegions(header: request.response(.success, header: header), regions: regions)
    }

    static func region(_ r: SelectedRecord) -> FileRegionSpec {
        FileRegionSpec(fd: r.fd, offset: r.position, length: r.size, owner: r.file)
    }
}
