import Testing
@testable import MessageFormat

@Suite struct RecordCodecTests {
    func encode(_ f: RecordFields, _ body: [UInt8]) -> [UInt8] {
        let len = f.recordLength(bodyLength: body.count)
        var out = [UInt8](repeating: 0, count: len)
        let n = out.withUnsafeMutableBytes { o in body.withUnsafeBytes { RecordEncoder.encode(f, body: $0, into: o.baseAddress!) } }
        #expect(n == len)
        return out
    }

    @Test func fixedOverheadIs91BytesWithIPv4() {
        let f = RecordFields(topic: "", queueId: 0, bornTimestamp: 0)
        #expect(f.recordLength(bodyLength: 0) == 91)
        let v6 = RecordFields(topic: "", queueId: 0, bornTimestamp: 0,
                              bornHost: HostAddress(address: [UInt8](repeating: 1, count: 16), port: 1),
                              storeHost: HostAddress(address: [UInt8](repeating: 2, count: 16), port: 2))
        #expect(v6.recordLength(bodyLength: 0) == 115)
    }

    @Test(arguments: [0, 1, 128, 4096, 70_000])
    func roundTripKeepsEveryField(bodySize: Int) throws {
        let body = (0..<bodySize).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let props = MessageProperties.encode([(PropertyKey.tags, "TagA"), (PropertyKey.keys, "k1 k2"), ("user", "v=1")])
        let f = RecordFields(topic: "OrderEvents", queueId: 3, flag: 7, sysFlag: [], bornTimestamp: 1_700_000_000_123,
                             bornHost: HostAddress(ipv4: 10, 1, 2, 3, port: 5555),
                             storeHost: HostAddress(ipv4: 127, 0, 0, 1, port: 10911),
                             reconsumeTimes: 2, preparedTransactionOffset: 99, properties: props)
        var bytes = encode(f, body)
        bytes.withUnsafeMutableBytes { RecordEncoder.patch($0.baseAddress!, queueOffset: 42, physicalOffset: 1 << 33, storeTimestamp: 1_700_000_000_999) }
        let msgs = try bytes.withUnsafeBytes { try StoredMessage.decodeAll($0, verifyCRC: true) }
        #expect(msgs.count == 1)
        let m = msgs[0]
        #expect(m.totalSize == Int32(bytes.count))
        #expect(m.queueId == 3 && m.flag == 7 && m.queueOffset == 42 && m.physicalOffset == 1 << 33)
        #expect(m.bornTimestamp == 1_700_000_000_123 && m.storeTimestamp == 1_700_000_000_999)
        #expect(m.bornHost == HostAddress(ipv4: 10, 1, 2, 3, port: 5555))
        #expect(m.storeHost.port == 10911)
        #expect(m.reconsumeTimes == 2 && m.preparedTransactionOffset == 99)
        #expect(m.body == body && m.topic == "OrderEvents")
        #expect(m.tags == "TagA" && m.keys == ["k1", "k2"] && m.properties["user"] == "v=1")
        #expect(m.bodyCRC == CRC32.checksum(body))
    }

    @Test func wellKnownPositionsMatchRocketMQ() {
        // MessageDecoder reads magic at 4, flag at 16, queue offset at 20,
        // physical offset at 28, sysflag at 36 and store timestamp at 56 (IPv4).
        let f = RecordFields(topic: "t", queueId: 1, flag: 0x0102_0304, bornTimestamp: 5)
        var bytes = encode(f, [9])
        bytes.withUnsafeMutableBytes { RecordEncoder.patch($0.baseAddress!, queueOffset: 0x11, physicalOffset: 0x22, storeTimestamp: 0x33) }
        #expect(Array(bytes[4..<8]) == [0xDA, 0xA3, 0x20, 0xA7])
        #expect(Array(bytes[16..<20]) == [1, 2, 3, 4])
        #expect(bytes[27] == 0x11 && bytes[35] == 0x22 && bytes[63] == 0x33)
    }

    @Test func checkRejectsDamage() {
        let f = RecordFields(topic: "t", queueId: 1, bornTimestamp: 5, properties: "a\u{1}b\u{2}")
        let good = encode(f, Array(repeating: 7, count: 100))
        func check(_ b: [UInt8], crc: Bool = true) -> RecordView.Check {
            b.withUnsafeBytes { RecordView.check(at: $0.baseAddress!, available: $0.count, verifyCRC: crc) }
        }
        #expect(check(good) == .record(size: good.count))
        var flipped = good; flipped[100] ^= 0xFF  // inside the body
        if case .invalid = check(flipped) {} else { Issue.record("CRC damage not detected") }
        #expect(check(flipped, crc: false) == .record(size: good.count))
        var badMagic = good; badMagic[5] = 0
        if case .invalid = check(badMagic) {} else { Issue.record("magic damage not detected") }
        var badLen = good; badLen[3] &+= 1
        if case .invalid = check(badLen + [0]) {} else { Issue.record("length damage not detected") }
        if case .invalid = check(Array(good.prefix(50))) {} else { Issue.record("truncation not detected") }
        if case .invalid = check([UInt8](repeating: 0, count: 200)) {} else { Issue.record("zeros taken as a record") }
        var blank = [UInt8](repeating: 0, count: 64)
        blank.withUnsafeMutableBytes { RecordEncoder.writeBlank(length: 64, into: $0.baseAddress!) }
        #expect(check(blank) == .blank(size: 64))
    }

    @Test func propertiesRoundTripAndLookup() {
        let s = MessageProperties.encode([("KEYS", "a b"), ("TAGS", "t"), ("UNIQ_KEY", "ABC")])
        #expect(MessageProperties.decode(s) == ["KEYS": "a b", "TAGS": "t", "UNIQ_KEY": "ABC"])
        var copy = s
        copy.withUTF8 { u in
            let raw = UnsafeRawBufferPointer(u)
            #expect(MessageProperties.find("TAGS", in: raw).map { String(decoding: $0, as: UTF8.self) } == "t")
            #expect(MessageProperties.find("UNIQ_KEY", in: raw).map { String(decoding: $0, as: UTF8.self) } == "ABC")
            #expect(MessageProperties.find("TAG", in: raw) == nil)
        }
    }

    @Test func propertiesDecodeHandlesMalformedTextAsRocketMQ() {
        // The reference: split at \u{2} (empty pieces dropped), the name up to the first \u{1}.
        func reference(_ text: String) -> [String: String] {
            var out: [String: String] = [:]
            for item in text.utf8.split(separator: 2) {
                guard let sep = item.firstIndex(of: 1) else { continue }
                out[String(decoding: item[..<sep], as: UTF8.self)] = String(decoding: item[item.index(after: sep)...], as: UTF8.self)
            }
            return out
        }
        let samples = ["", "\u{2}\u{2}", "noSep\u{2}k\u{1}v\u{1}w\u{2}\u{2}k\u{1}last", "\u{1}v\u{2}", "a\u{1}\u{2}b\u{1}é\u{2}",
                       "tail\u{1}without end", "x\u{1}1\u{2}x\u{1}2"]
        for text in samples { #expect(MessageProperties.decode(text) == reference(text), "\(Array(text.utf8))") }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in [1, 2, 0x61, 0x62, 0xC3, 0xA9][Int.random(in: 0..<6, using: &rng)] as UInt8 }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(MessageProperties.decode(text) == reference(text))
        }
    }

    @Test func javaHashCodeMatchesJava() {
        // Values computed by java.lang.String.hashCode.
        #expect("TagA".javaHashCode == 2_598_919)
        #expect("".javaHashCode == 0)
        #expect("hello world".javaHashCode == 1_794_106_052)
    }

    @Test func javaHashCodeOfNonASCIIUsesUTF16Units() {
        func reference(_ s: String) -> Int32 { s.utf16.reduce(Int32(0)) { $0 &* 31 &+ Int32($1) } }
        for text in ["héllo", "日本語のタグ", "emoji 😀 pair", "ascii-only_123", "mixed ключ-1"] {
            #expect(text.javaHashCode == reference(text), "\(text)")
        }
        // The fold continues across pieces: hash("T#key") from hash("T") + "#" + "key".
        let topic = Array("Orders".utf8), key = Array("order-123".utf8)
        let folded = topic.withUnsafeBytes { t in
            key.withUnsafeBytes { k in JavaHash.fold(JavaHash.fold(JavaHash.fold(0, ascii: t)!, UInt8(ascii: "#")), ascii: k) }
        }
        #expect(folded == "Orders#order-123".javaHashCode)
        #expect(Array("é".utf8).withUnsafeBytes { JavaHash.fold(0, ascii: $0) } == nil, "non-ASCII bytes are refused")
    }

    @Test func hostAddressParsing() {
        #expect(HostAddress(parsing: "10.0.0.255:65535") == HostAddress(ipv4: 10, 0, 0, 255, port: 65535))
        #expect(HostAddress(parsing: "127.0.0.1:0") == HostAddress(ipv4: 127, 0, 0, 1, port: 0))
        for bad in ["", "1.2.3.4", "1.2.3:4", "1.2.3.4.5:6", "1.2.3.256:1", "1.2.3.4:65536", "a.b.c.d:1", "1.2.3.4:",
                    ":1", "1..3.4:5", "1.2.3.4:5:6", "[::1]:80", " 1.2.3.4:5", "1.2.3.4:123456789012"] {
            #expect(HostAddress(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func offsetMessageIdRoundTrip() throws {
        let id = MessageID.offsetMessageId(storeHost: HostAddress(ipv4: 192, 168, 0, 1, port: 10911), physicalOffset: 0x1234)
        #expect(id == "C0A8000100002A9F0000000000001234")
        let back = try #require(MessageID.decodeOffsetMessageId(id))
        #expect(back.physicalOffset == 0x1234 && back.storeHost.port == 10911)
        #expect(MessageID.decodeOffsetMessageId("XYZ") == nil)
        let v6 = HostAddress(address: Array(0..<16), port: 9876)
        let long = MessageID.offsetMessageId(storeHost: v6, physicalOffset: -2)
        #expect(long == MessageID.hex(Array(0..<16) + [0, 0, 0x26, 0x94] + Array(repeating: 0xFF, count: 7) + [0xFE]))
        #expect(MessageID.decodeOffsetMessageId(long)?.storeHost == v6)
    }

    @Test func crc32MatchesJavaZip() {
        // java.util.zip.CRC32 of "123456789" is 0xCBF43926.
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}

@Suite struct CRC32Tests {
    /// The folding path must agree with zlib's table CRC for every length
    /// (tails of 0–15 bytes, below and above the 64-byte threshold) and content.
    @Test func acceleratedCRCMatchesZlibForManyLengths() {
        #if arch(x86_64)
        #expect(CRC32.isAccelerated, "every x86-64 CPU since 2010 has PCLMULQDQ; the fast path must be the one tested")
        #endif
        var rng = SystemRandomNumberGenerator()
        for len in Array(0...300) + [1023, 1024, 1025, 4096, 16_384, 65_537, 1_000_003] {
            let bytes = (0..<len).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let expected = bytes.withUnsafeBytes { CRC32.zlibChecksum($0) }
            #expect(CRC32.checksum(bytes) == expected, "length \(len)")
        }
        #expect(CRC32.checksum([UInt8](repeating: 0, count: 4096)) == [UInt8](repeating: 0, count: 4096).withUnsafeBytes { CRC32.zlibChecksum($0) })
    }
}
