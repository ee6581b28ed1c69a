import Testing
@testable import Protocol

@Suite struct HeaderTests {
    @Test func sendHeaderFullAndV2ConvertBothWays() throws {
        let h = SendMessageRequestHeader(
            producerGroup: "pg", topic: "t", queueId: 3, sysFlag: 1, bornTimestamp: 42, flag: 7,
            properties: "TAGS\u{1}x\u{2}", reconsumeTimes: 2, unitMode: true, batch: true, maxReconsumeTimes: 16,
            brokerName: "broker-a")
        let v2 = h.v2.extFields
        #expect(v2["a"] == "pg")
        #expect(v2["c"] == "TBW102")
        #expect(v2["d"] == "4")
        #expect(v2["k"] == "true")
        #expect(v2["l"] == "16")
        #expect(v2["m"] == "true")
        #expect(v2["n"] == "broker-a")
        #expect(try SendMessageRequestHeaderV2(extFields: v2).full == h)
        var withoutBroker = h
        withoutBroker.brokerName = nil
        #expect(try SendMessageRequestHeader(extFields: h.extFields) == withoutBroker)
        #expect(h.extFields["producerGroup"] == "pg")
        #expect(h.extFields["n"] == nil)
    }

    @Test func initFromCommandPicksTheFormByCode() throws {
        let v1 = RemotingCommand.request(.sendMessage, header: goldenSendHeader, opaque: 1)
        let v2 = RemotingCommand.request(.sendMessageV2, header: goldenSendHeader.v2, opaque: 2)
        let batch = RemotingCommand.request(.sendBatchMessage, header: goldenSendHeader.v2, opaque: 3)
        #expect(try SendMessageRequestHeader(command: v1) == goldenSendHeader)
        #expect(try SendMessageRequestHeader(command: v2) == goldenSendHeader)
        #expect(try SendMessageRequestHeader(command: batch) == goldenSendHeader)
        let wrong = RemotingCommand.request(.sendMessage, header: goldenSendHeader.v2, opaque: 4)
        #expect(throws: ProtocolError.missingField("producerGroup")) { try SendMessageRequestHeader(command: wrong) }
    }

    @Test func v2HeaderTakesTheLastOfRepeatedKeysAndIgnoresOthers() throws {
        var e: ExtFields = ["a": "pg", "b": "t", "c": "TBW102", "d": "4", "e": "1", "f": "0", "g": "1", "h": "0"]
        e.append("e", "3")
        e.append("b", "t2")
        e.append("zz", "ignored")
        e.append("", "empty key")
        let h = try SendMessageRequestHeaderV2(extFields: e).full
        #expect(h.queueId == 3 && h.topic == "t2" && h.properties == nil && h.brokerName == nil)
        for missing in ["a", "b", "c"] {
            var m = e
            m[missing] = nil
            #expect(throws: ProtocolError.missingField(missing)) { try SendMessageRequestHeaderV2(extFields: m) }
        }
    }

    @Test func numbersAreWrittenAsDecimalText() {
        var e = ExtFields()
        for n in [0, 7, 1023, 1024, -1, Int.max, Int.min] { e.append("n\(n)", n) }
        e.append("i32", Int32(-5))
        e.append("u8", UInt8(255))
        e.append("none", Int?.none)
        for n in [0, 7, 1023, 1024, -1, Int.max, Int.min] { #expect(e["n\(n)"] == String(n)) }
        #expect(e["i32"] == "-5" && e["u8"] == "255" && e["none"] == nil)
    }

    @Test func missingAndInvalidFields() throws {
        var e: ExtFields = ["a": "pg", "b": "t", "c": "TBW102", "d": "4", "e": "x1", "f": "0", "g": "1", "h": "0"]
        #expect(throws: ProtocolError.invalidField(name: "e", value: "x1")) { try SendMessageRequestHeaderV2(extFields: e) }
        e["e"] = nil
        #expect(throws: ProtocolError.missingField("e")) { try SendMessageRequestHeaderV2(extFields: e) }
        e["e"] = "99999999999"  // over Int32
        #expect(throws: ProtocolError.invalidField(name: "e", value: "99999999999")) { try SendMessageRequestHeaderV2(extFields: e) }
        e["e"] = "1"
        e["k"] = "maybe"
        #expect(throws: ProtocolError.invalidField(name: "k", value: "maybe")) { try SendMessageRequestHeaderV2(extFields: e) }
        e["k"] = "TRUE"
        #expect(try SendMessageRequestHeaderV2(extFields: e).full.unitMode == true)
    }

    @Test func pullHeaders() throws {
        let req = PullMessageRequestHeader(
            consumerGroup: "cg", topic: "t", queueId: 0, queueOffset: 10, maxMsgNums: 32,
            sysFlag: PullSysFlag([.commitOffset, .suspend, .subscription]).rawValue, commitOffset: 5,
            suspendTimeoutMillis: 15_000, subscription: "*", subVersion: 0, expressionType: "TAG")
        #expect(try PullMessageRequestHeader(extFields: req.extFields) == req)
        let resp = PullMessageResponseHeader(suggestWhichBrokerId: 0, nextBeginOffset: 42, minOffset: 0, maxOffset: 100)
        #expect(resp.extFields.dictionary == ["suggestWhichBrokerId": "0", "nextBeginOffset": "42", "minOffset": "0", "maxOffset": "100"])
        #expect(try PullMessageResponseHeader(extFields: resp.extFields) == resp)
        var e = req.extFields
        e["queueOffset"] = nil
        #expect(throws: ProtocolError.missingField("queueOffset")) { try PullMessageRequestHeader(extFields: e) }
    }

    @Test func defaultsAndOptionalsOnTheWire() throws {
        let create = try CreateTopicRequestHeader(extFields: [
            "topic": "T", "defaultTopic": "TBW102", "readQueueNums": "8", "writeQueueNums": "8", "perm": "6",
            "topicFilterType": "SINGLE_TAG",
        ])
        #expect(create.order == false)
        #expect(create.topicSysFlag == nil)
        #expect(create.extFields["order"] == "false")
        #expect(create.extFields["topicSysFlag"] == nil)
        let reg = RegisterBrokerRequestHeader(
            brokerName: "b", brokerAddr: "1.2.3.4:10911", clusterName: "c", haServerAddr: "1.2.3.4:10912", brokerId: 0)
        #expect(reg.extFields["compressed"] == "false")
        #expect(reg.extFields["bodyCrc32"] == "0")
        #expect(try RegisterBrokerRequestHeader(extFields: reg.extFields) == reg)
        let resp = SendMessageResponseHeader(msgId: "ABC", queueId: 1, queueOffset: 2, msgRegion: "DefaultRegion", traceOn: "true")
        #expect(resp.extFields["MSG_REGION"] == "DefaultRegion")
        #expect(try SendMessageResponseHeader(extFields: resp.extFields) == resp)
    }

    @Test func everyHeaderRoundTrips() throws {
        func check<H: CommandHeader & Equatable>(_ h: H) throws {
            #expect(try H(extFields: h.extFields) == h)
        }
        try check(QueryConsumerOffsetRequestHeader(consumerGroup: "g", topic: "t", queueId: 1, setZeroIfNotFound: true))
        try check(QueryConsumerOffsetResponseHeader(offset: -1))
        try check(UpdateConsumerOffsetRequestHeader(consumerGroup: "g", topic: "t", queueId: 1, commitOffset: 9))
        try check(GetMaxOffsetRequestHeader(topic: "t", queueId: 2))
        try check(GetMaxOffsetResponseHeader(offset: 7))
        try check(GetMinOffsetRequestHeader(topic: "t", queueId: 2))
        try check(GetMinOffsetResponseHeader(offset: 0))
        try check(SearchOffsetRequestHeader(topic: "t", queueId: 0, timestamp: 1_700_000_000_000))
        try check(SearchOffsetResponseHeader(offset: 3))
        try check(GetEarliestMsgStoretimeRequestHeader(topic: "t", queueId: 0))
        try check(GetEarliestMsgStoretimeResponseHeader(timestamp: 5))
        try check(ViewMessageRequestHeader(offset: 1234))
        try check(QueryMessageRequestHeader(topic: "t", key: "k", maxNum: 32, beginTimestamp: 0, endTimestamp: .max))
        try check(QueryMessageResponseHeader(indexLastUpdateTimestamp: 1, indexLastUpdatePhyoffset: 2))
        try check(GetRouteInfoRequestHeader(topic: "t"))
        try check(DeleteTopicRequestHeader(topic: "t"))
        try check(UnregisterBrokerRequestHeader(brokerName: "b", brokerAddr: "a", clusterName: "c", brokerId: 1))
        try check(RegisterBrokerResponseHeader(haServerAddr: "h", masterAddr: "m"))
        try check(GetConsumerListByGroupRequestHeader(consumerGroup: "g"))
        try check(NotifyConsumerIdsChangedRequestHeader(consumerGroup: "g"))
        try check(UnregisterClientRequestHeader(clientID: "c", producerGroup: "p"))
        try check(ConsumerSendMsgBackRequestHeader(offset: 1, group: "g", delayLevel: 0, originMsgId: "m", maxReconsumeTimes: 16))
        try check(EndTransactionRequestHeader(producerGroup: "p", tranStateTableOffset: 1, commitLogOffset: 2, commitOrRollback: 8, msgId: "m"))
        try check(CheckTransactionStateRequestHeader(tranStateTableOffset: 1, commitLogOffset: 2, msgId: "m", offsetMsgId: "o"))
        try check(GetKVConfigRequestHeader(namespace: "ORDER_TOPIC_CONFIG", key: "t"))
        try check(GetKVConfigResponseHeader(value: "v"))
        try check(GetTopicStatsInfoRequestHeader(topic: "t"))
        try check(GetConsumeStatsRequestHeader(consumerGroup: "g", topic: "t"))
    }

    @Test func extFieldsSemantics() {
        var e = ExtFields()
        e.append("k", "1")
        e.append("k", "2")  // a peer sending a key twice: last wins, as in a Java HashMap
        #expect(e["k"] == "2")
        e["k"] = "3"
        #expect(e["k"] == "3")
        e["k"] = nil
        #expect(e["k"] == nil)
        #expect(ExtFields(["b": "2", "a": "1"]).map(\.key) == ["a", "b"])
        #expect(ExtFields(["a": "1", "b": "2"]) == ["b": "2", "a": "1"])
    }

    @Test func permAndFlags() {
        #expect(Perm.readWrite.rawValue == 6)
        #expect(Perm(rawValue: 7).description == "RWX")
        #expect(PullSysFlag.litePull.rawValue == 0x10)
        var c = RemotingCommand(code: 1)
        c.isOneway = true
        #expect(c.flag == 2)
        c.isResponse = true
        #expect(c.flag == 3)
    }
}
