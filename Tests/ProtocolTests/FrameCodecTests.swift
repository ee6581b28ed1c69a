import NIOCore
import Testing
@testable import Protocol

@Suite struct FrameCodecTests {
    func sampleCommand(_ type: SerializeType) -> RemotingCommand {
        var c = RemotingCommand(
            code: RequestCode.sendMessageV2.rawValue, language: .cpp, version: 399, opaque: -12345, flag: 2,
            remark: "ünïcode \"quoted\" \u{1}\u{2}", extFields: goldenSendHeader.v2.extFields,
            body: buffer([0, 1, 2, 255]), serializeType: type)
        c.extFields["i"] = "TAGS\u{1}a\u{2}KEYS\u{1}k1 k2\u{2}"
        return c
    }

    @Test(arguments: SerializeType.allCases)
    func roundTrip(type: SerializeType) throws {
        let c = sampleCommand(type)
        var out = try FrameCodec.encode(c)
        let decoded = try #require(try FrameCodec.decode(&out))
        #expect(try decoded.get() == c)
        #expect(out.readableBytes == 0)
    }

    @Test(arguments: SerializeType.allCases)
    func roundTripWithoutBodyRemarkOrFields(type: SerializeType) throws {
        let c = RemotingCommand(code: ResponseCode.systemBusy.rawValue, opaque: 9, flag: 1, serializeType: type)
        var out = try FrameCodec.encode(c)
        let decoded = try #require(try FrameCodec.decode(&out)).get()
        #expect(decoded == c)
        #expect(decoded.body == nil)
        #expect(decoded.remark == nil)
    }

    @Test func responseCopiesOpaqueAndSerializeType() {
        let req = RemotingCommand.request(.pullMessage, header: EmptyHeader(), opaque: 77, serializeType: .rocketMQ)
        let resp = req.response(.pullNotFound, remark: "none")
        #expect(resp.opaque == 77)
        #expect(resp.serializeType == .rocketMQ)
        #expect(resp.isResponse)
        #expect(!req.isResponse)
        #expect(resp.responseCode == .pullNotFound)
    }

    /// SEND_MESSAGE_V2 in the ROCKETMQ binary serialisation, byte by byte from the spec.
    @Test func goldenBinarySendMessageV2() throws {
        var ext: [UInt8] = []
        for (k, v) in [("a", "pg"), ("b", "t"), ("c", "TBW102"), ("d", "4"), ("e", "1"), ("f", "0"),
                       ("g", "1700000000000"), ("h", "0")] {
            ext += be16(UInt16(k.utf8.count)) + Array(k.utf8) + be32(UInt32(v.utf8.count)) + Array(v.utf8)
        }
        #expect(ext.count == 82)
        let header: [UInt8] =
            [0x01, 0x36]  // code 310
            + [0x00]  // language JAVA
            + [0x01, 0x9D]  // version 413
            + [0x00, 0x00, 0x00, 0x01]  // opaque 1
            + [0x00, 0x00, 0x00, 0x00]  // flag: request
            + [0x00, 0x00, 0x00, 0x00]  // no remark
            + [0x00, 0x00, 0x00, 0x52]  // extFields: 82 bytes
            + ext
        let expected: [UInt8] =
            [0x00, 0x00, 0x00, 0x6D]  // length 4 + 103 + 2 = 109
            + [0x01, 0x00, 0x00, 0x67]  // ROCKETMQ << 24 | 103
            + header + Array("hi".utf8)
        #expect(header.count == 103)

        let cmd = RemotingCommand(
            code: RequestCode.sendMessageV2.rawValue, language: .java, version: 413, opaque: 1,
            extFields: goldenSendHeader.v2.extFields, body: buffer("hi"), serializeType: .rocketMQ)
        #expect(bytes(try FrameCodec.encode(cmd)) == expected)

        let decoded = try #require(try decodeOne(expected)).get()
        #expect(decoded == cmd)
        #expect(try SendMessageRequestHeader(command: decoded) == goldenSendHeader)
    }

    /// The same request in the JSON serialisation, as fastjson orders the keys.
    @Test func goldenJSONSendMessageV2() throws {
        let json = #"{"code":310,"extFields":{"a":"pg","b":"t","c":"TBW102","d":"4","e":"1","f":"0","g":"1700000000000","h":"0"},"flag":0,"language":"JAVA","opaque":1,"serializeTypeCurrentRPC":"JSON","version":413}"#
        let header = Array(json.utf8)
        #expect(header.count == 193)
        let expected = [0x00, 0x00, 0x00, 0xC7] + [0x00, 0x00, 0x00, 0xC1]  // 4 + 193 + 2; JSON << 24 | 193
            + header + Array("hi".utf8)
        let cmd = RemotingCommand(
            code: RequestCode.sendMessageV2.rawValue, language: .java, version: 413, opaque: 1,
            extFields: goldenSendHeader.v2.extFields, body: buffer("hi"), serializeType: .json)
        #expect(bytes(try FrameCodec.encode(cmd)) == expected)
        #expect(try #require(try decodeOne(expected)).get() == cmd)
    }

    @Test func encodeHeaderForExternalBody() throws {
        let cmd = RemotingCommand(code: 0, opaque: 5, flag: 1, serializeType: .rocketMQ)
        var head = ByteBuffer()
        try FrameCodec.encodeHeader(cmd, bodyLength: 1000, into: &head)
        var whole = head
        whole.writeBytes([UInt8](repeating: 7, count: 1000))
        let decoded = try #require(try FrameCodec.decode(&whole)).get()
        #expect(decoded.body?.readableBytes == 1000)
        #expect(decoded.opaque == 5)
    }

    @Test func needsMoreDataLeavesBufferUntouched() throws {
        let frame = bytes(try FrameCodec.encode(sampleCommand(.rocketMQ)))
        for cut in [0, 1, 3, 4, 7, 8, frame.count - 1] {
            var b = buffer(Array(frame[0..<cut]))
            #expect(try FrameCodec.decode(&b) == nil)
            #expect(b.readableBytes == cut)
        }
    }

    @Test func frameTooLargeIsThrownFromThePrefixAlone() {
        var b = buffer(be32(0x7FFF_FFFF))
        #expect(throws: ProtocolError.frameTooLarge(length: 0x7FFF_FFFF + 4, max: FrameCodec.defaultMaxFrameLength)) {
            try FrameCodec.decode(&b)
        }
        var small = buffer(be32(100) + [UInt8](repeating: 0, count: 100))
        #expect(throws: ProtocolError.frameTooLarge(length: 104, max: 64)) {
            try FrameCodec.decode(&small, maxFrameLength: 64)
        }
    }

    @Test func negativeAndTinyLengthsAreRejected() {
        for v: UInt32 in [0xFFFF_FFFF, 0x8000_0000, 0, 3] {
            var b = buffer(be32(v) + [0, 0, 0, 0])
            #expect(throws: ProtocolError.invalidFrameLength(Int(Int32(bitPattern: v)))) { try FrameCodec.decode(&b) }
        }
    }

    @Test func headerLongerThanFrame() throws {
        let frame = be32(8) + be32(0x0000_0010) + [1, 2, 3, 4]
        let r = try #require(try decodeOne(frame))
        #expect(r == .failure(UndecodableFrame(error: .headerLengthExceedsFrame(headerLength: 16, available: 4))))
        guard case .failure(let f) = r else { return }
        #expect(!f.canRespond)
    }

    @Test func unknownSerializeTypeCannotBeAnswered() throws {
        let r = try #require(try decodeOne(rawFrame(type: 7, header: Array("{}".utf8))))
        guard case .failure(let f) = r else { Issue.record("expected failure"); return }
        #expect(f.error == .unknownSerializeType(7))
        #expect(f.errorResponse() == nil)
    }

    @Test func malformedJSONHeaderStillAnsweredWhenOpaqueIsReadable() throws {
        let header = Array(#"{"code":310,"opaque":42,"flag":0,"extFields":{"a":"#.utf8)
        let r = try #require(try decodeOne(rawFrame(type: 0, header: header)))
        guard case .failure(let f) = r else { Issue.record("expected failure"); return }
        guard case .malformedJSON = f.error else { Issue.record("got \(f.error)"); return }
        #expect(f.opaque == 42)
        #expect(f.code == 310)
        let resp = try #require(f.errorResponse())
        #expect(resp.opaque == 42)
        #expect(resp.responseCode == .systemError)
        #expect(resp.isResponse)
        #expect(resp.serializeType == .json)
        #expect(resp.remark?.contains("malformed JSON") == true)
    }

    @Test func jsonHeaderWithoutCodeIsMissingField() throws {
        let r = try #require(try decodeOne(rawFrame(type: 0, header: Array(#"{"opaque":3,"flag":2}"#.utf8))))
        guard case .failure(let f) = r else { Issue.record("expected failure"); return }
        #expect(f.error == .missingField("code"))
        #expect(f.opaque == 3)
        #expect(!f.canRespond)  // one-way: nobody waits for an answer
    }

    @Test func truncatedBinaryHeaderSalvagesOpaque() throws {
        // code 11, language, version, opaque 99, flag 0, remark length 1000 (beyond the header)
        let header: [UInt8] = [0x00, 0x0B, 0x00, 0x00, 0x01, 0, 0, 0, 99, 0, 0, 0, 0, 0, 0, 0x03, 0xE8, 0, 0, 0, 0]
        let r = try #require(try decodeOne(rawFrame(type: 1, header: header)))
        guard case .failure(let f) = r else { Issue.record("expected failure"); return }
        guard case .malformedHeader = f.error else { Issue.record("got \(f.error)"); return }
        #expect(f.opaque == 99)
        #expect(f.code == 11)
        #expect(f.errorResponse()?.serializeType == .rocketMQ)
    }

    @Test func binaryHeaderLengthsAreChecked() throws {
        func header(ext: [UInt8], declared: Int32? = nil) -> [UInt8] {
            [0, 10, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0] + be32(UInt32(bitPattern: declared ?? Int32(ext.count))) + ext
        }
        let cases: [[UInt8]] = [
            header(ext: [], declared: -1),
            header(ext: [], declared: 5),
            header(ext: be16(0xFFFF) + be32(0)),  // negative key length
            header(ext: be16(1) + [0x61] + be32(0x7FFF_FFFF)),  // value beyond the header
            header(ext: be16(1) + [0x61] + be32(UInt32(bitPattern: -5))),
            header(ext: be16(1) + [0x61]),  // no value length
            Array([0, 10, 0, 0, 1, 0, 0]),  // shorter than the fixed part
        ]
        for h in cases {
            let r = try #require(try decodeOne(rawFrame(type: 1, header: h)))
            guard case .failure(let f) = r, case .malformedHeader = f.error else {
                Issue.record("expected malformedHeader for \(h), got \(r)")
                continue
            }
        }
    }

    @Test func tooManyExtFieldsAreRefused() throws {
        var ext: [UInt8] = []
        for _ in 0...ExtFields.maxCount { ext += be16(1) + [0x61] + be32(0) }
        let h: [UInt8] = [0, 10, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0] + be32(UInt32(ext.count)) + ext
        let r = try #require(try decodeOne(rawFrame(type: 1, header: h)))
        guard case .failure(let f) = r, case .malformedHeader = f.error else { Issue.record("got \(r)"); return }
    }

    @Test(arguments: SerializeType.allCases)
    func oversizeHeaderIsNotEncoded(type: SerializeType) {
        var c = RemotingCommand(code: 1, serializeType: type)
        c.remark = String(repeating: "x", count: FrameCodec.maxHeaderLength)
        var out = ByteBuffer()
        #expect(throws: ProtocolError.self) { try FrameCodec.encode(c, into: &out) }
        #expect(out.readableBytes == 0)
    }

    @Test func unknownCodesRoundTrip() throws {
        let c = RemotingCommand(code: 31_999, language: LanguageCode(rawValue: 77), serializeType: .rocketMQ)
        var out = try FrameCodec.encode(c)
        let d = try #require(try FrameCodec.decode(&out)).get()
        #expect(d.code == 31_999)
        #expect(d.language.rawValue == 77)
        #expect(RequestCode(31_999).name == nil)
        #expect(RequestCode.getRouteInfoByTopic.rawValue == 105)
        #expect(ResponseCode.flowControl.rawValue == 215)
        #expect(RequestCode.sendMessageV2.description == "SEND_MESSAGE_V2(310)")
    }
}
