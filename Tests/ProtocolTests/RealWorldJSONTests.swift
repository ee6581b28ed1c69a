import NIOCore
import Testing
@testable import Protocol

/// Bytes as the Java broker/NameServer (fastjson) and the C++ client (jsoncpp) send them.
@Suite struct RealWorldJSONTests {
    /// A C++ client (rocketmq-client-cpp 2.x) SEND_MESSAGE_V2 header: numbers as JSON
    /// numbers, empty credential fields, `"remark":""`, and FastWriter's trailing newline.
    @Test func cppClientSendHeader() throws {
        let json = #"{"code":310,"extFields":{"AccessKey":"","ONSChannelKey":"","Signature":"","a":"ProducerGroup","b":"TopicTest","c":"TBW102","d":4,"e":2,"f":0,"g":"1700000000000","h":0,"i":"KEYS\u0001k1\u0002TAGS\u0001TagA\u0002UNIQ_KEY\u0001C0A8000100002A9F0000000000000001\u0002WAIT\u0001true\u0002","j":"0","k":"0","l":16,"m":"0"},"flag":0,"language":"CPP","opaque":3,"remark":"","version":400}"# + "\n"
        let cmd = try #require(try decodeOne(rawFrame(type: 0, header: Array(json.utf8), body: Array("body".utf8)))).get()
        #expect(cmd.language == .cpp)
        #expect(cmd.opaque == 3)
        #expect(cmd.remark == "")
        #expect(cmd.body.map(bytes) == Array("body".utf8))
        let h = try SendMessageRequestHeader(command: cmd)
        #expect(h.producerGroup == "ProducerGroup")
        #expect(h.queueId == 2)
        #expect(h.defaultTopicQueueNums == 4)
        #expect(h.bornTimestamp == 1_700_000_000_000)
        #expect(h.unitMode == false)
        #expect(h.maxReconsumeTimes == 16)
        #expect(h.batch == false)
        let props = try #require(h.properties)
        #expect(props.contains("UNIQ_KEY\u{1}C0A8000100002A9F0000000000000001\u{2}"))
    }

    /// A Java 4.9 client's PULL_MESSAGE header (fastjson: alphabetical keys, all strings).
    @Test func javaClientPullHeader() throws {
        let json = #"{"code":11,"extFields":{"queueId":"3","maxMsgNums":"32","sysFlag":"3","suspendTimeoutMillis":"15000","commitOffset":"0","topic":"TopicTest","queueOffset":"128","expressionType":"TAG","subVersion":"1700000000000","consumerGroup":"cg"},"flag":0,"language":"JAVA","opaque":118,"serializeTypeCurrentRPC":"JSON","version":413}"#
        let cmd = try #require(try decodeOne(rawFrame(type: 0, header: Array(json.utf8)))).get()
        let h: PullMessageRequestHeader = try cmd.decodeHeader()
        #expect(h.queueOffset == 128)
        #expect(PullSysFlag(rawValue: h.sysFlag) == [.commitOffset, .suspend])
        #expect(h.subscription == nil)
        #expect(cmd.language == .java)
    }

    /// What the Java NameServer sends for GET_ROUTEINFO_BY_TOPIC (fastjson, bare map keys).
    @Test func javaNameServerTopicRoute() throws {
        let json = #"{"brokerDatas":[{"brokerAddrs":{0:"192.168.0.2:10911",1:"192.168.0.3:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":8,"topicSysFlag":0,"writeQueueNums":8}]}"#
        let route = try TopicRouteData(bytes: Array(json.utf8))
        #expect(route.brokerDatas.first?.brokerAddrs == [0: "192.168.0.2:10911", 1: "192.168.0.3:10911"])
        #expect(route.brokerDatas.first?.masterAddress == "192.168.0.2:10911")
        #expect(route.queueDatas.first?.writeQueueNums == 8)
        #expect(Perm(rawValue: route.queueDatas[0].perm) == .readWrite)
        #expect(route.orderTopicConf == nil)
        // We write standard JSON with quoted numeric keys (fastjson and jsoncpp both read it).
        let out = route.json.jsonString
        #expect(out.contains(#""brokerAddrs":{"0":"192.168.0.2:10911","1":"192.168.0.3:10911"}"#))
        #expect(try TopicRouteData(bytes: Array(out.utf8)) == route)
    }

    @Test func cppClientHeartbeat() throws {
        // ConsumerData enums as ordinals and subVersion as a string, as rocketmq-client-cpp writes them.
        let json = #"{"clientID":"192.168.0.9@1234#123456","consumerDataSet":[{"consumeFromWhere":0,"consumeType":1,"groupName":"cg","messageModel":1,"subscriptionDataSet":[{"subString":"TagA || TagB","subVersion":"1700000000000","tagsSet":["TagA","TagB"],"codeSet":[2598919,2598920],"topic":"TopicTest"}]}],"producerDataSet":[{"groupName":"pg"},{"groupName":"CLIENT_INNER_PRODUCER"}]}"#
        let hb = try HeartbeatData(bytes: Array(json.utf8))
        let c = try #require(hb.consumerDataSet.first)
        #expect(c.consumeType == .consumePassively)
        #expect(c.messageModel == .clustering)
        #expect(c.consumeFromWhere == .consumeFromLastOffset)
        #expect(c.subscriptionDataSet.first?.subVersion == 1_700_000_000_000)
        #expect(c.subscriptionDataSet.first?.tagsSet == ["TagA", "TagB"])
        #expect(c.subscriptionDataSet.first?.expressionType == "TAG")
        #expect(hb.producerDataSet.map(\.groupName) == ["pg", "CLIENT_INNER_PRODUCER"])
        #expect(try HeartbeatData(bytes: hb.jsonBytes) == hb)
    }

    @Test func javaClientHeartbeat() throws {
        let json = #"{"clientID":"10.0.0.1@9876","consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET","consumeType":"CONSUME_PASSIVELY","groupName":"g","messageModel":"BROADCASTING","subscriptionDataSet":[{"classFilterMode":false,"codeSet":[],"expressionType":"TAG","subString":"*","subVersion":1700000000001,"tagsSet":[],"topic":"T"}],"unitMode":false}],"producerDataSet":[]}"#
        let hb = try HeartbeatData(bytes: Array(json.utf8))
        #expect(hb.consumerDataSet[0].messageModel == .broadcasting)
        #expect(hb.consumerDataSet[0].consumeFromWhere == .consumeFromFirstOffset)
        #expect(hb.consumerDataSet[0].subscriptionDataSet[0].subString == "*")
    }

    @Test func badEnumIsInvalidField() {
        let json = #"{"clientID":"x","consumerDataSet":[{"consumeFromWhere":9,"consumeType":"CONSUME_PASSIVELY","groupName":"g","messageModel":"CLUSTERING"}]}"#
        #expect(throws: ProtocolError.invalidField(name: "consumeFromWhere", value: "9")) {
            try HeartbeatData(bytes: Array(json.utf8))
        }
        #expect(throws: ProtocolError.missingField("clientID")) { try HeartbeatData(bytes: Array("{}".utf8)) }
    }

    @Test func javaClusterInfo() throws {
        let json = #"{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"10.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}},"clusterAddrTable":{"DefaultCluster":["broker-a"]}}"#
        let info = try ClusterInfo(bytes: Array(json.utf8))
        #expect(info.clusterAddrTable == ["DefaultCluster": ["broker-a"]])
        #expect(info.brokerAddrTable["broker-a"]?.brokerAddrs[0] == "10.0.0.1:10911")
        #expect(try ClusterInfo(bytes: info.jsonBytes) == info)
    }

    @Test func javaTopicStatsTableWithObjectKeys() throws {
        let json = #"{"offsetTable":{{"brokerName":"broker-a","queueId":1,"topic":"T"}:{"lastUpdateTimestamp":1700000000000,"maxOffset":10,"minOffset":0},{"brokerName":"broker-a","queueId":0,"topic":"T"}:{"lastUpdateTimestamp":0,"maxOffset":7,"minOffset":2}}}"#
        let t = try TopicStatsTable(bytes: Array(json.utf8))
        #expect(t.offsetTable[MessageQueue(topic: "T", brokerName: "broker-a", queueId: 0)]?.maxOffset == 7)
        #expect(t.offsetTable.count == 2)
        #expect(try TopicStatsTable(bytes: t.jsonBytes) == t)
    }

    @Test func consumeStatsLag() throws {
        let q = MessageQueue(topic: "T", brokerName: "b", queueId: 0)
        let s = ConsumeStats(offsetTable: [q: OffsetWrapper(brokerOffset: 100, consumerOffset: 40)], consumeTps: 1.5)
        let back = try ConsumeStats(bytes: s.jsonBytes)
        #expect(back == s)
        #expect(back.totalDiff == 60)
    }

    @Test func registerBrokerBodyRoundTrip() throws {
        let wrapper = TopicConfigSerializeWrapper(
            topicConfigTable: ["TopicTest": TopicConfig(topicName: "TopicTest", readQueueNums: 8, writeQueueNums: 8),
                               "TBW102": TopicConfig(topicName: "TBW102", perm: 7)],
            dataVersion: DataVersion(timestamp: 1_700_000_000_000, counter: 3))
        let body = RegisterBrokerBody(topicConfigSerializeWrapper: wrapper)
        #expect(try RegisterBrokerBody(body: body.bodyBuffer()) == body)
        // fastjson as a Java broker writes it (counter is an AtomicLong → a number)
        let java = #"{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":2,"timestamp":1700000000000},"topicConfigTable":{"T":{"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"T","topicSysFlag":0,"writeQueueNums":4}}}}"#
        let b = try RegisterBrokerBody(bytes: Array(java.utf8))
        #expect(b.topicConfigSerializeWrapper.topicConfigTable["T"]?.readQueueNums == 4)
        #expect(b.topicConfigSerializeWrapper.dataVersion.counter == 2)
    }

    @Test func smallBodies() throws {
        let kv = KVTable(table: ["a": "1", "b": "2"])
        #expect(kv.json.jsonString == #"{"table":{"a":"1","b":"2"}}"#)
        #expect(try KVTable(bytes: kv.jsonBytes) == kv)
        let tl = TopicList(topicList: ["a", "b"], brokerAddr: "x:1")
        #expect(try TopicList(bytes: tl.jsonBytes) == tl)
        let cl = try ConsumerListBody(bytes: Array(#"{"consumerIdList":["c1","c2"]}"#.utf8))
        #expect(cl.consumerIdList == ["c1", "c2"])
        let lock = LockBatchRequestBody(consumerGroup: "g", clientId: "c", mqSet: [MessageQueue(topic: "t", brokerName: "b", queueId: 3)])
        #expect(try LockBatchRequestBody(bytes: lock.jsonBytes) == lock)
        let cppLock = try LockBatchRequestBody(bytes: Array(#"{"clientId":"c","consumerGroup":"g","mqSet":[{"brokerName":"b","queueId":3,"topic":"t"}]}"#.utf8))
        #expect(cppLock == lock)
        let resp = LockBatchResponseBody(lockOKMQSet: lock.mqSet)
        #expect(try LockBatchResponseBody(bytes: resp.jsonBytes) == resp)
    }
}

@Suite struct CompressedRegisterBodyTests {
    @Test func roundTripAndDamage() throws {
        let wrapper = TopicConfigSerializeWrapper(
            topicConfigTable: ["A": TopicConfig(topicName: "A", readQueueNums: 4, writeQueueNums: 2, perm: 6),
                               "B": TopicConfig(topicName: "B", perm: 7, topicFilterType: "MULTI_TAG")],
            dataVersion: DataVersion(timestamp: 5, counter: 6))
        let body = RegisterBrokerBody(topicConfigSerializeWrapper: wrapper, filterServerList: ["f:1"])
        let packed = try body.compressedBody()
        #expect(try RegisterBrokerBody(body: packed, compressed: true) == body)
        #expect(try RegisterBrokerBody(body: body.bodyBuffer(), compressed: false) == body)
        var truncated = packed
        truncated.moveWriterIndex(to: packed.writerIndex - 6)
        #expect(throws: ProtocolError.self) { try RegisterBrokerBody(body: truncated, compressed: true) }
        // A Java topic line written by hand: "name r w perm filterType " (TopicConfig.encode()).
        var raw = ByteBuffer()
        let dv = Array(#"{"counter":1,"timestamp":2}"#.utf8)
        raw.writeInteger(Int32(dv.count)); raw.writeBytes(dv)
        raw.writeInteger(Int32(1))
        let line = Array("TopicTest 8 8 6 SINGLE_TAG ".utf8)
        raw.writeInteger(Int32(line.count)); raw.writeBytes(line)
        raw.writeInteger(Int32(2)); raw.writeBytes(Array("[]".utf8))
        let java = ByteBuffer(bytes: try BodyCompression.compress(Array(raw.readableBytesView), level: 9))
        let decoded = try RegisterBrokerBody(body: java, compressed: true)
        #expect(decoded.topicConfigSerializeWrapper.topicConfigTable["TopicTest"] == TopicConfig(topicName: "TopicTest", readQueueNums: 8, writeQueueNums: 8))
        #expect(decoded.topicConfigSerializeWrapper.dataVersion == DataVersion(timestamp: 2, counter: 1))
    }
}
