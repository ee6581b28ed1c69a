import Client
import Metrics
import Profiles

/// Turns (producer, sequence) into the message a simulated producer sends:
/// body from the payload pool with the `MessageStamp` written into it (or, for
/// bodies shorter than a stamp, in the `PMQ_STAMP` property), tags round-robin,
/// a unique key when the profile asks for keys, and the topic.
///
/// In orderly mode each producer owns `orderKeys / producers` keys (at least
/// one) and a key always maps to the same topic, so that the order of one key
/// is one producer's order in one queue and verification can check it.
public struct MessageFactory: Sendable {
    public let pool: PayloadPool
    public let topics: [String]
    public let tags: [String]
    public let keys: Bool
    /// Global producer count (all agents).
    public let producers: Int
    /// Keys per producer in orderly mode; nil otherwise.
    public let keysPerProducer: Int?

    public init(profile: Profile, pool: PayloadPool? = nil) {
        self.pool = pool ?? PayloadPool(spec: profile.message)
        topics = profile.topics.names
        tags = profile.message.tags
        keys = profile.message.keys
        producers = profile.producers.count
        keysPerProducer = profile.producers.mode == .orderly
            ? max(1, profile.producers.orderKeys / max(1, profile.producers.count)) : nil
    }

    /// The global index of a message (its place in the interleaved schedule).
    @inline(__always)
    func globalIndex(producer: Int, sequence: UInt64) -> UInt64 {
        sequence &* UInt64(producers) &+ UInt64(producer)
    }

    /// The ordering key index of a message in orderly mode (`MessageStamp.noOrderKey` otherwise).
    public func orderKey(producer: Int, sequence: UInt64) -> UInt32 {
        guard let kpp = keysPerProducer else { return MessageStamp.noOrderKey }
        return UInt32(truncatingIfNeeded: producer * kpp + Int(sequence % UInt64(kpp)))
    }

    /// The `orderKey:` string sent with orderly messages.
    public static func orderKeyText(_ key: UInt32) -> String { "order-\(key)" }

    /// The topic of send `unit` (all messages of a batch share it).
    public func topic(producer: Int, unit: Int, firstSequence: UInt64) -> String {
        if topics.count == 1 { return topics[0] }
        if keysPerProducer != nil {
            return topics[Int(orderKey(producer: producer, sequence: firstSequence)) % topics.count]
        }
        return topics[Int((UInt64(unit) &* UInt64(producers) &+ UInt64(producer)) % UInt64(topics.count))]
    }

    /// The message with sequence `sequence` of `producer`, stamped with `wallNanos` as its send time.
    public func message(producer: Int, sequence: UInt64, topic: String, wallNanos: UInt64) -> Message {
        let k = globalIndex(producer: producer, sequence: sequence)
        let stamp = MessageStamp(producer: UInt32(truncatingIfNeeded: producer), sequence: sequence, sentWallNanos: wallNanos,
                                 orderKey: orderKey(producer: producer, sequence: sequence))
        var body = pool.body(k)
        var properties: [String: String] = [:]
        if body.count >= MessageStamp.encodedSize {
            stamp.write(into: &body)
        } else {
            properties[MessageStamp.propertyName] = stamp.text
        }
        let tag = tags.isEmpty ? nil : tags[Int(k % UInt64(tags.count))]
        return Message(topic: topic, body: body, tags: tag, keys: keys ? ["\(producer)-\(sequence)"] : [],
                       properties: properties)
    }
}
