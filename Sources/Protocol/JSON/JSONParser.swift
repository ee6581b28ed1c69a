import NIOCore

/// A small, strict JSON reader that never traps on any input.
///
/// Standard JSON (RFC 8259), plus what RocketMQ's Java components emit through
/// fastjson:
/// - unquoted object keys made of letters, digits, `_ $ - + .` — fastjson writes
///   `Map<Long, String>` as `{0:"127.0.0.1:10911"}` (TopicRouteData.brokerAddrs);
/// - object or array keys — fastjson writes `Map<MessageQueue, …>` as
///   `{{"brokerName":"b","queueId":0,"topic":"t"}:{…}}` (TopicStatsTable,
///   ConsumeStats). Such a key is kept as its compact JSON text, which
///   ``JSONValue/parse(_:limits:)-(String,_)`` reads back.
///
/// Raw control characters inside strings are accepted (lenient input). Depth,
/// value count and number length are bounded (``Limits``), so memory use is a
/// small multiple of the input size and recursion is bounded.
public struct JSONParser {
    /// Bounds on what one document may contain.
    public struct Limits: Sendable {
        /// Deepest nesting of arrays and objects.
        public var maxDepth: Int
        /// Most values (scalars, arrays, objects) in one document.
        public var maxValues: Int
        /// Longest number literal, in bytes.
        public var maxNumberLength: Int

        public init(maxDepth: Int = 64, maxValues: Int = 4_000_000, maxNumberLength: Int = 256) {
            self.maxDepth = maxDepth
            self.maxValues = maxValues
            self.maxNumberLength = maxNumberLength
        }

        public static let `default` = Limits()
    }

    let base: UnsafePointer<UInt8>
    let end: Int
    var pos = 0
    var depth = 0
    var values = 0
    let limits: Limits

    init(_ bytes: UnsafeRawBufferPointer, limits: Limits) {
        // An empty buffer may have no base address; point at a static byte instead.
        self.base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? JSONParser.emptyBase
        self.end = bytes.count
        self.limits = limits
    }

    nonisolated(unsafe) private static let emptyBase: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    /// Parses one complete document (surrounding whitespace allowed).
    static func parseDocument(_ bytes: UnsafeRawBufferPointer, limits: Limits) throws(ProtocolError) -> JSONValue {
        var p = JSONParser(bytes, limits: limits)
        p.skipWhitespace()
        let v = try p.parseValue()
        p.skipWhitespace()
        guard p.pos == p.end else { throw p.error("trailing characters") }
        return v
    }

    // MARK: scanning

    @inline(__always) func peek() -> UInt8? { pos < end ? base[pos] : nil }

    @inline(__always) mutating func skipWhitespace() {
        while pos < end, isASCIIWhitespace(base[pos]) { pos += 1 }
    }

    func error(_ what: String) -> ProtocolError {
        .malformedJSON("\(what) at byte \(pos)")
    }

    mutating func expect(_ c: UInt8, _ what: String) throws(ProtocolError) {
        guard pos < end, base[pos] == c else { throw error("expected \(what)") }
        pos += 1
    }

    mutating func countValue() throws(ProtocolError) {
        values += 1
        guard values <= limits.maxValues else { throw error("more than \(limits.maxValues) values") }
    }

    // MARK: values

    mutating func parseValue() throws(ProtocolError) -> JSONValue {
        try countValue()
        guard let c = peek() else { throw error("unexpected end of input") }
        switch c {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character 0x\(String(c, radix: 16))")
        }
    }

    mutating func literal(_ word: StaticString) throws(ProtocolError) {
        let n = word.utf8CodeUnitCount
        guard end - pos >= n else { throw error("truncated literal") }
        for i in 0..<n where base[pos + i] != word.utf8Start[i] {
            throw error("bad literal")
        }
        pos += n
    }

    mutating func enter() throws(ProtocolError) {
        depth += 1
        guard depth <= limits.maxDepth else { throw error("nesting deeper than \(limits.maxDepth)") }
    }

    mutating func parseArray() throws(ProtocolError) -> JSONValue {
        try enter()
        pos += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            guard let c = peek() else { throw error("unterminated array") }
            pos += 1
            if c == UInt8(ascii: "]") { break }
            guard c == UInt8(ascii: ",") else { pos -= 1; throw error("expected , or ]") }
        }
        depth -= 1
        return .array(items)
    }

    mutating func parseObject() throws(ProtocolError) -> JSONValue {
        try enter()
        pos += 1  // {
        var members: [JSONMember] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            let key = try parseKey()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), ":")
            skipWhitespace()
            let value = try parseValue()
            members.append(JSONMember(key, value))
            skipWhitespace()
            guard let c = peek() else { throw error("unterminated object") }
            pos += 1
            if c == UInt8(ascii: "}") { break }
            guard c == UInt8(ascii: ",") else { pos -= 1; throw error("expected , or }") }
        }
        depth -= 1
        return .object(members)
    }

    /// A quoted key, a bare fastjson key (`0`, `abc`), or a structured fastjson key.
    mutating func parseKey() throws(ProtocolError) -> String {
        guard let c = peek() else { throw error("unexpected end of input in object") }
        if c == UInt8(ascii: "\"") { return try parseString() }
        if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
            let v = try parseValue()
            return v.jsonString
        }
        let start = pos
        while pos < end, isBareKeyByte(base[pos]) { pos += 1 }
        guard pos > start else { throw error("expected a key") }
        return String(decoding: UnsafeBufferPointer(start: base + start, count: pos - start), as: UTF8.self)
    }

    @inline(__always) func isBareKeyByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"), UInt8(ascii: "-"),
            UInt8(ascii: "+"), UInt8(ascii: "."):
            true
        default: false
        }
    }

    mutating func parseNumber() throws(ProtocolError) -> JSONValue {
        let start = pos
        var negative = false
        if base[pos] == UInt8(ascii: "-") {
            negative = true
            pos += 1
        }
        let intStart = pos
        while pos < end, isDigit(base[pos]) { pos += 1 }
        let intDigits = pos - intStart
        guard intDigits > 0 else { throw error("expected digits") }
        guard intDigits == 1 || base[intStart] != UInt8(ascii: "0") else { throw error("leading zero") }
        var isInteger = true
        if pos < end, base[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            let f = pos
            while pos < end, isDigit(base[pos]) { pos += 1 }
            guard pos > f else { throw error("expected fraction digits") }
        }
        if pos < end, base[pos] == UInt8(ascii: "e") || base[pos] == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            if pos < end, base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-") { pos += 1 }
            let e = pos
            while pos < end, isDigit(base[pos]) { pos += 1 }
            guard pos > e else { throw error("expected exponent digits") }
        }
        guard pos - start <= limits.maxNumberLength else { throw error("number too long") }
        if isInteger {
            // Accumulate negatively so that Int64.min parses exactly.
            var acc: Int64 = 0
            var overflow = false
            for i in intStart..<pos {
                let (m, o1) = acc.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.subtractingReportingOverflow(Int64(base[i] &- UInt8(ascii: "0")))
                if o1 || o2 {
                    overflow = true
                    break
                }
                acc = s
            }
            if !overflow {
                if negative { return .int(acc) }
                if acc != Int64.min { return .int(-acc) }
            }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: pos - start), as: UTF8.self)
        guard let d = Double(text) else { throw error("bad number") }
        return .double(d)
    }

    @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    mutating func parseString() throws(ProtocolError) -> String {
        pos += 1  // opening quote
        let start = pos
        // Fast path: no escapes.
        while pos < end {
            let c = base[pos]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(start: base + start, count: pos - start), as: UTF8.self)
                pos += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            pos += 1
        }
        guard pos < end else { throw error("unterminated string") }
        var out = [UInt8](UnsafeBufferPointer(start: base + start, count: pos - start))
        while pos < end {
            let c = base[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                pos += 1
                continue
            }
            pos += 1
            guard pos < end else { break }
            let e = base[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate; pair it with a following \uDC00–\uDFFF if there is one.
                    if end - pos >= 6, base[pos] == UInt8(ascii: "\\"), base[pos + 1] == UInt8(ascii: "u") {
                        let save = pos
                        pos += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            pos = save
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                appendUTF8(scalar, to: &out)
            default:
                pos -= 1
                throw error("bad escape")
            }
        }
        throw error("unterminated string")
    }

    mutating func hex4() throws(ProtocolError) -> UInt32 {
        guard end - pos >= 4 else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for i in 0..<4 {
            let c = base[pos + i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("bad \\u escape")
            }
            v = v << 4 | d
        }
        pos += 4
        return v
    }

    func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        var buf: [UInt8] = []
        UTF8.encode(s) { buf.append($0) }
        out.append(contentsOf: buf)
    }
}

extension JSONValue {
    /// Parses a complete JSON document.
    /// - Throws: ``ProtocolError/malformedJSON(_:)`` with the reason and byte offset.
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: JSONParser.Limits = .default)
        throws(ProtocolError) -> JSONValue
    {
        try JSONParser.parseDocument(bytes, limits: limits)
    }

    /// Parses a complete JSON document from bytes.
    public static func parse(_ bytes: [UInt8], limits: JSONParser.Limits = .default) throws(ProtocolError) -> JSONValue {
        let result: Result<JSONValue, ProtocolError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ProtocolError) -> JSONValue in try JSONParser.parseDocument(raw, limits: limits) }
        }
        return try result.get()
    }

    /// Parses a complete JSON document from text.
    public static func parse(_ text: String, limits: JSONParser.Limits = .default) throws(ProtocolError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    /// Parses the readable bytes of `buffer` (not moving its reader index).
    public static func parse(_ buffer: ByteBuffer, limits: JSONParser.Limits = .default) throws(ProtocolError) -> JSONValue {
        let result: Result<JSONValue, ProtocolError> = buffer.withUnsafeReadableBytes { raw in
            Result { () throws(ProtocolError) -> JSONValue in try JSONParser.parseDocument(raw, limits: limits) }
        }
        return try result.get()
    }
}
