import Client
import LoadGen
import Metrics
import Profiles
import Testing

@Suite struct PayloadTests {
    @Test func sizesFollowTheWeightsAndBodiesMixRandomAndRepeatingBytes() throws {
        let p = try profile("""
            duration: 1s
            producers: {rate: 1}
            message: {sizes: [{size: 512B, weight: 70}, {size: 4KiB, weight: 30}], randomRatio: 0.25}
            """)
        let pool = PayloadPool(spec: p.message)
        var small = 0
        for k in 0..<10_000 as Range<UInt64> where pool.body(k).count == 512 { small += 1 }
        #expect(abs(small - 7000) < 300, "\(small) of 10,000 were 512 B")
        let body = pool.body(1)
        let random = body.prefix(body.count / 4)
        let rest = body.dropFirst(body.count / 4)
        // The random part has (nearly) every byte value; the rest repeats a short text.
        #expect(Set(random).count > (body.count == 512 ? 80 : 200))
        #expect(Set(rest).count < 40)
        // Pre-generated: the same index gives the same bytes, and there are a few variants only.
        #expect(pool.body(12345) == pool.body(12345))
        #expect(Set((0..<1000 as Range<UInt64>).map { pool.body($0) }).count <= 2 * PayloadPool.variants)
    }

    @Test func messagesCarryStampTagsKeysAndTopics() throws {
        let p = try profile("""
            duration: 1s
            topics: {count: 3, prefix: T}
            message: {size: 64B, tags: [a, b], keys: true}
            producers: {count: 4, rate: 10}
            """)
        let f = MessageFactory(profile: p)
        let m = f.message(producer: 2, sequence: 7, topic: "T-1", wallNanos: 123)
        #expect(m.body.count == 64 && m.topic == "T-1")
        #expect(MessageStamp(body: m.body) == MessageStamp(producer: 2, sequence: 7, sentWallNanos: 123))
        #expect(m.keys == ["2-7"] && m.properties.isEmpty)
        // Global index 7·4 + 2 = 30: tag 30 % 2 = a; consecutive messages alternate.
        #expect(m.tags == "a" && f.message(producer: 3, sequence: 7, topic: "T-1", wallNanos: 0).tags == "b")
        // Units spread over the topics round-robin.
        #expect(Set((0..<6).map { f.topic(producer: 1, unit: $0, firstSequence: UInt64($0)) }) == ["T-0", "T-1", "T-2"])
    }

    @Test func shortBodiesCarryTheStampAsAProperty() throws {
        let p = try profile("duration: 1s\nmessage: {size: 16B}\nproducers: {rate: 1}\n")
        let m = MessageFactory(profile: p).message(producer: 0, sequence: 99, topic: "T", wallNanos: 5)
        #expect(m.body.count == 16 && m.keys.isEmpty && m.tags == nil)
        #expect(m.properties[MessageStamp.propertyName].flatMap(MessageStamp.init(text:))
                == MessageStamp(producer: 0, sequence: 99, sentWallNanos: 5))
    }

    @Test func orderlyKeysBelongToOneProducerAndOneTopic() throws {
        let p = try profile("""
            duration: 1s
            topics: {count: 2}
            producers: {count: 4, rate: 10, mode: orderly, orderKeys: 12}
            """)
        let f = MessageFactory(profile: p)
        #expect(f.keysPerProducer == 3)
        var owner: [UInt32: Int] = [:]
        var topicOf: [UInt32: String] = [:]
        for producer in 0..<4 {
            for seq in 0..<30 as Range<UInt64> {
                let key = f.orderKey(producer: producer, sequence: seq)
                #expect(owner[key, default: producer] == producer)
                owner[key] = producer
                let topic = f.topic(producer: producer, unit: Int(seq), firstSequence: seq)
                #expect(topicOf[key, default: topic] == topic)
                topicOf[key] = topic
                #expect(MessageStamp(body: f.message(producer: producer, sequence: seq, topic: topic, wallNanos: 0).body)?.orderKey == key)
            }
        }
        #expect(owner.count == 12)
    }
}
