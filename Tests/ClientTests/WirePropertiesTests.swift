@testable import Client
import MessageFormat
import Testing

/// The producer writes the properties of a message without user properties
/// straight, not through a dictionary: the text must be the same.
@Suite struct WirePropertiesTests {
    @Test(arguments: [
        Message(topic: "T", body: [1]),
        Message(topic: "T", body: [1], tags: "tagA"),
        Message(topic: "T", body: [1], tags: "", keys: ["k1", "k 2"], delayLevel: 3, waitStoreMsgOK: false),
        Message(topic: "T", body: [1], tags: "ä", keys: ["ключ"], delayLevel: 18),
        Message(topic: "T", body: [1], tags: "t", keys: ["k"], properties: ["user": "v", "AAA": "first", "zzz": "last"]),
    ])
    func directEncodingEqualsTheSortedDictionary(message: Message) {
        let id = "0A000001000100000000000000000001"
        #expect(message.encodedWireProperties(uniqueKey: id) == MessageProperties.encode(message.wireProperties(uniqueKey: id)))
    }
}
