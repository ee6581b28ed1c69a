#!/usr/bin/env python3
"""Generates Sources/Protocol/Headers/*.swift: the typed remoting headers.

Each header is one line of `SPEC` below: `Name | doc | field, field, ...` where a
field is `name[@wireKey]:Type` followed by `!` (required), `?` (optional, left
out when nil) or `=default` (absent on the wire means the default; always sent).
Types: String, Int32, Int64, Bool. A line whose field
list is `= Other` declares a typealias: RocketMQ has several header classes of
one shape, which share one struct here. Run from the package root; commit the output.
"""
import os, textwrap

GROUPS = {
"SharedHeaders": """
TopicHeader | A header with only `topic`: the shape of several requests (see the aliases). | topic:String!
TopicQueueHeader | A header with `topic` and `queueId`: the shape of several requests (see the aliases). | topic:String!, queueId:Int32!
ConsumerGroupHeader | A header with only `consumerGroup`: the shape of several requests (see the aliases). | consumerGroup:String!
OffsetResponseHeader | A response header with only `offset`: the shape of several responses (see the aliases). | offset:Int64!
NamespaceKeyHeader | A header with `namespace` and `key` (KV config requests). | namespace:String!, key:String!
""",
"SendHeaders": """
SendMessageResponseHeader | Response to SEND_MESSAGE / SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE. `msgId` is the offsetMsgId (several, comma-separated, for a batch); `MSG_REGION` and `TRACE_ON` are what the Java broker adds. | msgId:String!, queueId:Int32!, queueOffset:Int64!, transactionId:String?, batchUniqId:String?, msgRegion@MSG_REGION:String?, traceOn@TRACE_ON:String?
""",
"PullHeaders": """
PullMessageRequestHeader | PULL_MESSAGE (11). `sysFlag` holds ``PullSysFlag`` bits. | consumerGroup:String!, topic:String!, queueId:Int32!, queueOffset:Int64!, maxMsgNums:Int32!, sysFlag:Int32!, commitOffset:Int64!, suspendTimeoutMillis:Int64!, subscription:String?, subVersion:Int64!, expressionType:String?, maxMsgBytes:Int32?
PullMessageResponseHeader | Response to PULL_MESSAGE; the body is the found records back to back. | suggestWhichBrokerId:Int64!, nextBeginOffset:Int64!, minOffset:Int64!, maxOffset:Int64!
""",
"OffsetHeaders": """
QueryConsumerOffsetRequestHeader | QUERY_CONSUMER_OFFSET (14). | consumerGroup:String!, topic:String!, queueId:Int32!, setZeroIfNotFound:Bool?
QueryConsumerOffsetResponseHeader | Response to QUERY_CONSUMER_OFFSET (QUERY_NOT_FOUND when the group has no offset). | = OffsetResponseHeader
UpdateConsumerOffsetRequestHeader | UPDATE_CONSUMER_OFFSET (15), usually one-way. | consumerGroup:String!, topic:String!, queueId:Int32!, commitOffset:Int64!
GetMaxOffsetRequestHeader | GET_MAX_OFFSET (30). `committed` exists from 5.x on. | topic:String!, queueId:Int32!, committed:Bool?
GetMaxOffsetResponseHeader | Response to GET_MAX_OFFSET. | = OffsetResponseHeader
GetMinOffsetRequestHeader | GET_MIN_OFFSET (31). | = TopicQueueHeader
GetMinOffsetResponseHeader | Response to GET_MIN_OFFSET. | = OffsetResponseHeader
SearchOffsetRequestHeader | SEARCH_OFFSET_BY_TIMESTAMP (29). `boundaryType` ("lower"/"upper") exists from 5.x on. | topic:String!, queueId:Int32!, timestamp:Int64!, boundaryType:String?
SearchOffsetResponseHeader | Response to SEARCH_OFFSET_BY_TIMESTAMP. | = OffsetResponseHeader
GetEarliestMsgStoretimeRequestHeader | GET_EARLIEST_MSG_STORETIME (32). | = TopicQueueHeader
GetEarliestMsgStoretimeResponseHeader | Response to GET_EARLIEST_MSG_STORETIME. | timestamp:Int64!
""",
"QueryHeaders": """
ViewMessageRequestHeader | VIEW_MESSAGE_BY_ID (33): `offset` is the commitlog offset decoded from an offsetMsgId. | topic:String?, offset:Int64!
QueryMessageRequestHeader | QUERY_MESSAGE (12): look a key up in the IndexFile. | topic:String!, key:String!, maxNum:Int32!, beginTimestamp:Int64!, endTimestamp:Int64!
QueryMessageResponseHeader | Response to QUERY_MESSAGE; the body is the matching records. | indexLastUpdateTimestamp:Int64!, indexLastUpdatePhyoffset:Int64!
""",
"TopicHeaders": """
CreateTopicRequestHeader | UPDATE_AND_CREATE_TOPIC (17). `topicFilterType` is "SINGLE_TAG" or "MULTI_TAG"; `perm` holds ``Perm`` bits. | topic:String!, defaultTopic:String!, readQueueNums:Int32!, writeQueueNums:Int32!, perm:Int32!, topicFilterType:String!, topicSysFlag:Int32?, order:Bool=false, attributes:String?
DeleteTopicRequestHeader | DELETE_TOPIC_IN_BROKER (215). | = TopicHeader
DeleteTopicFromNamesrvRequestHeader | DELETE_TOPIC_IN_NAMESRV (216). | topic:String!, clusterName:String?
GetTopicStatsInfoRequestHeader | GET_TOPIC_STATS_INFO (202). | = TopicHeader
GetTopicsByClusterRequestHeader | GET_TOPICS_BY_CLUSTER (224). | cluster:String!
QueryTopicConsumeByWhoRequestHeader | QUERY_TOPIC_CONSUME_BY_WHO (300). | = TopicHeader
""",
"NameServerHeaders": """
GetRouteInfoRequestHeader | GET_ROUTEINFO_BY_TOPIC (105). | topic:String!, acceptStandardJsonOnly:Bool?
RegisterBrokerRequestHeader | REGISTER_BROKER (103). The body is a ``RegisterBrokerBody``; `bodyCrc32` is its CRC-32 (0 = not checked). | brokerName:String!, brokerAddr:String!, clusterName:String!, haServerAddr:String!, brokerId:Int64!, heartbeatTimeoutMillis:Int64?, compressed:Bool=false, bodyCrc32:Int32=0
RegisterBrokerResponseHeader | Response to REGISTER_BROKER; the body is a ``KVTable`` (the order-topic KV namespace). | haServerAddr:String?, masterAddr:String?
UnregisterBrokerRequestHeader | UNREGISTER_BROKER (104). | brokerName:String!, brokerAddr:String!, clusterName:String!, brokerId:Int64!
GetKVConfigRequestHeader | GET_KV_CONFIG (101). | = NamespaceKeyHeader
GetKVConfigResponseHeader | Response to GET_KV_CONFIG (QUERY_NOT_FOUND when absent). | value:String?
PutKVConfigRequestHeader | PUT_KV_CONFIG (100). | namespace:String!, key:String!, value:String!
DeleteKVConfigRequestHeader | DELETE_KV_CONFIG (102). | = NamespaceKeyHeader
GetKVListByNamespaceRequestHeader | GET_KVLIST_BY_NAMESPACE (219). | namespace:String!
""",
"ClientHeaders": """
GetConsumerListByGroupRequestHeader | GET_CONSUMER_LIST_BY_GROUP (38); the response body is a ``ConsumerListBody``. | = ConsumerGroupHeader
NotifyConsumerIdsChangedRequestHeader | NOTIFY_CONSUMER_IDS_CHANGED (40), broker to client, one-way. | = ConsumerGroupHeader
UnregisterClientRequestHeader | UNREGISTER_CLIENT (35). | clientID:String!, producerGroup:String?, consumerGroup:String?
ConsumerSendMsgBackRequestHeader | CONSUMER_SEND_MSG_BACK (36): a message that failed consumption goes to the retry topic or the DLQ. | offset:Int64!, group:String!, delayLevel:Int32!, originMsgId:String?, originTopic:String?, unitMode:Bool=false, maxReconsumeTimes:Int32?
GetConsumeStatsRequestHeader | GET_CONSUME_STATS (208). | consumerGroup:String!, topic:String?
GetConsumerConnectionListRequestHeader | GET_CONSUMER_CONNECTION_LIST (203). | = ConsumerGroupHeader
""",
"TransactionHeaders": """
EndTransactionRequestHeader | END_TRANSACTION (37), usually one-way. `commitOrRollback` is a ``SysFlag`` transaction type (8 commit, 12 rollback, 0 unknown). | topic:String?, producerGroup:String!, tranStateTableOffset:Int64!, commitLogOffset:Int64!, commitOrRollback:Int32!, fromTransactionCheck:Bool=false, msgId:String!, transactionId:String?
CheckTransactionStateRequestHeader | CHECK_TRANSACTION_STATE (39), broker to producer; the body is the half message record. | topic:String?, tranStateTableOffset:Int64!, commitLogOffset:Int64!, msgId:String?, transactionId:String?, offsetMsgId:String?
""",
}

def parse_field(f):
    f = f.strip()
    name, rest = f.split(":", 1)
    wire = name
    if "@" in name:
        name, wire = name.split("@")
    if rest.endswith("!"):
        return dict(name=name, wire=wire, type=rest[:-1], kind="req")
    if rest.endswith("?"):
        return dict(name=name, wire=wire, type=rest[:-1], kind="opt")
    t, d = rest.split("=")
    return dict(name=name, wire=wire, type=t, kind="def", default=d)

def swift_type(f):
    return f["type"] + ("?" if f["kind"] == "opt" else "")

def reader(f):
    t, w, k = f["type"], f["wire"], f["kind"]
    if k == "req":
        if t == "String": return f'try e.string("{w}")'
        if t == "Bool": return f'try e.bool("{w}")'
        return f'try e.int("{w}")'
    if t == "String": return f'e["{w}"]'
    if t == "Bool": expr = f'try e.optionalBool("{w}")'
    else: expr = f'try e.optionalInt("{w}", as: {t}.self)'
    if k == "def": return f'{expr} ?? {f["default"]}'
    return expr

def gen_struct(name, doc, fields):
    fs = [parse_field(x) for x in fields.split(",") if x.strip()]
    out = []
    out.append(f"/// {doc}")
    out.append(f"public struct {name}: CommandHeader, Equatable {{")
    for f in fs:
        note = {"req": "required", "opt": "optional", "def": "default " + f.get("default", "")}[f["kind"]]
        out.append(f"    /// `{f['wire']}` ({note})")
        out.append(f"    public var {f['name']}: {swift_type(f)}")
    out.append("")
    params = []
    for f in fs:
        p = f"{f['name']}: {swift_type(f)}"
        if f["kind"] == "opt": p += " = nil"
        if f["kind"] == "def": p += f" = {f['default']}"
        params.append(p)
    out.append("    public init(")
    out.append(textwrap.indent(",\n".join(params), " " * 8))
    out.append("    ) {")
    for f in fs:
        out.append(f"        self.{f['name']} = {f['name']}")
    out.append("    }")
    out.append("")
    out.append("    public init(extFields e: ExtFields) throws(ProtocolError) {")
    for f in fs:
        out.append(f"        {f['name']} = {reader(f)}")
    out.append("    }")
    out.append("")
    out.append("    public var extFields: ExtFields {")
    out.append(f"        var e = ExtFields(minimumCapacity: {len(fs)})")
    for f in fs:
        out.append(f'        e.append("{f["wire"]}", {f["name"]})')
    out.append("        return e")
    out.append("    }")
    out.append("}")
    return "\n".join(out)

root = "Sources/Protocol/Headers"
os.makedirs(root, exist_ok=True)
for group, spec in GROUPS.items():
    parts = ["// Generated by scripts/gen-protocol-headers.py; edit the spec there, not this file.", ""]
    for line in spec.strip().splitlines():
        name, doc, fields = [x.strip() for x in line.split("|")]
        if fields.startswith("="):
            parts.append(f"/// {doc}\npublic typealias {name} = {fields[1:].strip()}")
        else:
            parts.append(gen_struct(name, doc, fields))
        parts.append("")
    with open(os.path.join(root, group + ".swift"), "w") as fh:
        fh.write("\n".join(parts))
