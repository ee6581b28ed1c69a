import Testing
@testable import Metrics

@Suite struct MessageStampTests {
    @Test func bodyRoundTrip() {
        let stamp = MessageStamp(producer: 7, sequence: 1 << 40 | 3, sentWallNanos: 1_795_000_000_123_456_789, orderKey: 42)
        var body = [UInt8](repeating: 0xAB, count: 100)
        stamp.write(into: &body)
        #expect(MessageStamp(body: body) == stamp)
        #expect(body[MessageStamp.encodedSize] == 0xAB)
    }

    @Test func foreignAndShortBodiesHaveNoStamp() {
        #expect(MessageStamp(body: [UInt8](repeating: 0, count: 64)) == nil)
        #expect(MessageStamp(body: Array("PMQ1".utf8)) == nil)
    }

    @Test func textRoundTrip() {
        let stamp = MessageStamp(producer: 1, sequence: 2, sentWallNanos: 3)
        #expect(MessageStamp(text: stamp.text) == stamp)
        #expect(MessageStamp(text: "1.2.3") == nil)
        #expect(MessageStamp(text: "a.2.3.4") == nil)
    }
}
