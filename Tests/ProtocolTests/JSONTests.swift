import Testing
import TestSupport
@testable import Protocol

@Suite struct JSONTests {
    @Test func parsesStandardJSON() throws {
        let v = try JSONValue.parse(#" {"a":[1,-2,3.5,1e3,true,false,null,"s\n\"\\\/\u00e9"],"b":{},"c":[]} "#)
        #expect(v["a"] == [1, -2, 3.5, 1000.0, true, false, nil, "s\n\"\\/é"])
        #expect(v["b"] == .object([JSONMember]()))
        #expect(v["c"] == [])
    }

    @Test func integersStayExact() throws {
        #expect(try JSONValue.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONValue.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSONValue.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONValue.parse("1700000000123")["x"] == nil)
    }

    @Test func surrogatePairsAndLoneSurrogates() throws {
        #expect(try JSONValue.parse(#""\ud83d\ude00""#) == "😀")
        #expect(try JSONValue.parse(#""\ud83dx""#) == "\u{FFFD}x")
        #expect(try JSONValue.parse(#""\ude00""#) == "\u{FFFD}")
    }

    @Test func fastjsonBareIntegerKeys() throws {
        let v = try JSONValue.parse(#"{0:"127.0.0.1:10911",1:"127.0.0.1:10921"}"#)
        #expect(v["0"] == "127.0.0.1:10911")
        #expect(v["1"] == "127.0.0.1:10921")
    }

    @Test func fastjsonObjectKeysAreKeptAsJSONText() throws {
        let v = try JSONValue.parse(#"{{"brokerName":"b","queueId":0,"topic":"t"}:{"maxOffset":5}}"#)
        let m = try #require(v.members?.first)
        #expect(m.key == #"{"brokerName":"b","queueId":0,"topic":"t"}"#)
        #expect(try MessageQueue(mapKey: m.key) == MessageQueue(topic: "t", brokerName: "b", queueId: 0))
    }

    @Test func writerEscapesAndQuotesEverything() {
        let v: JSONValue = .object([
            JSONMember("0", "a\u{1}b\u{2}\"\\\n\t"), JSONMember("n", .int(-5)), JSONMember("d", .double(2.5)),
            JSONMember("inf", .double(.infinity)), JSONMember("x", [true, nil]),
        ])
        #expect(v.jsonString == #"{"0":"a\u0001b\u0002\"\\\n\t","n":-5,"d":2.5,"inf":null,"x":[true,null]}"#)
    }

    @Test func writeThenParseIsIdentity() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let v = randomValue(&rng, depth: 0)
            #expect(try JSONValue.parse(v.jsonBytes) == v)
        }
    }

    func randomValue(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .int(Int64.random(in: .min ... .max, using: &rng))
        case 3: return .double(Double(Int32.random(in: .min ... .max, using: &rng)) / 64)
        case 4:
            let scalars = (0..<Int.random(in: 0..<12, using: &rng)).map { _ in
                Unicode.Scalar(UInt8.random(in: 0..<128, using: &rng))
            }
            return .string(String(String.UnicodeScalarView(scalars)) + "é")
        case 5: return .array((0..<Int.random(in: 0..<4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            return .object((0..<Int.random(in: 0..<4, using: &rng)).map { i in
                JSONMember("k\(i)", randomValue(&rng, depth: depth + 1))
            })
        }
    }

    @Test(arguments: [
        "", " ", "{", "}", "[", "[1,]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "01", "-", "1.", "1e", ".5", "+1",
        "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "{,}", "[1 2]", "{\"a\" 1}", "1 2", "{:1}",
        "{\"a\":1\"b\":2}", "\u{0}", "[\"a\",", "{\"a\":[1,{\"b\":",
    ])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: ProtocolError.self) { try JSONValue.parse(text) }
    }

    @Test func depthIsBounded() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: ProtocolError.self) { try JSONValue.parse(deep) }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONValue.parse(ok) }
        let objects = String(repeating: "{\"a\":", count: 70) + "1" + String(repeating: "}", count: 70)
        #expect(throws: ProtocolError.self) { try JSONValue.parse(objects) }
        let keyed = String(repeating: "{", count: 70)  // nested structured keys
        #expect(throws: ProtocolError.self) { try JSONValue.parse(keyed) }
    }

    @Test func valueCountIsBounded() {
        let many = "[" + Array(repeating: "0", count: 1000).joined(separator: ",") + "]"
        #expect(throws: ProtocolError.self) { try JSONValue.parse(many, limits: .init(maxValues: 500)) }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 99)
        let alphabet = Array(#"{}[]:,"\ 0123456789-.eEtruefalsn{"a":1}u"#.utf8)
        for _ in 0..<20_000 {
            let n = Int.random(in: 0..<40, using: &rng)
            let input = (0..<n).map { _ in
                Bool.random(using: &rng) ? alphabet.randomElement(using: &rng) ?? 0 : UInt8.random(in: 0...255, using: &rng)
            }
            do {
                _ = try JSONValue.parse(input)
            } catch {
                guard case .malformedJSON = error else { Issue.record("unexpected \(error)"); return }
            }
        }
    }

    @Test func lenientAccessors() {
        #expect(JSONValue.string("42").int64Value == 42)
        #expect(JSONValue.int(42).stringValue == "42")
        #expect(JSONValue.double(3.0).int32Value == 3)
        #expect(JSONValue.double(3.5).int64Value == nil)
        #expect(JSONValue.int(Int64(Int32.max) + 1).int32Value == nil)
        #expect(JSONValue.string("TRUE").boolValue == true)
    }
}
