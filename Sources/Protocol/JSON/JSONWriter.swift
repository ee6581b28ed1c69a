import NIOCore

/// Serialises a ``JSONValue`` as standard, compact JSON: every key quoted,
/// members in stored order, control characters escaped (`\u0001` for the
/// property separators), other text as raw UTF-8, non-finite doubles as null.
///
/// Standard JSON is what both client families accept: fastjson reads the
/// quoted `"0"` key of `brokerAddrs` into its `Map<Long, String>`, and the C++
/// client (jsoncpp) reads the member names with `getMemberNames()` + `atoi`,
/// quoted or not (it turns on jsoncpp's `allowNumericKeys` only to cope with
/// fastjson's bare keys). So PeakMQ never emits bare keys.
public struct JSONWriter {
    @usableFromInline var out: [UInt8] = []

    public init(capacity: Int = 256) { out.reserveCapacity(capacity) }

    /// The bytes written so far.
    public var bytes: [UInt8] { out }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: appendASCII("null")
        case .bool(let b): appendASCII(b ? "true" : "false")
        case .int(let i): appendNumber(i)
        case .double(let d):
            if d.isFinite {
                if d.rounded() == d, abs(d) < 1e15 {
                    appendNumber(Int64(d))
                    appendASCII(".0")
                } else {
                    out.append(contentsOf: String(d).utf8)
                }
            } else {
                appendASCII("null")
            }
        case .string(let s): writeString(s)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(m.key)
                out.append(UInt8(ascii: ":"))
                write(m.value)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    @usableFromInline mutating func appendASCII(_ s: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @usableFromInline mutating func appendNumber(_ i: Int64) {
        if i >= 0 && i < 10 {
            out.append(UInt8(ascii: "0") + UInt8(i))
        } else {
            out.append(contentsOf: String(i).utf8)
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes a quoted, escaped string.
    public mutating func writeString(_ s: String) {
        out.append(UInt8(ascii: "\""))
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): out.append(0x5C); out.append(c)
            case UInt8(ascii: "\\"): out.append(0x5C); out.append(c)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
            case 0x00..<0x20:
                out.append(0x5C)
                out.append(UInt8(ascii: "u"))
                out.append(UInt8(ascii: "0"))
                out.append(UInt8(ascii: "0"))
                out.append(Self.hexDigits[Int(c >> 4)])
                out.append(Self.hexDigits[Int(c & 0xF)])
            default: out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// Compact standard JSON bytes.
    public var jsonBytes: [UInt8] {
        var w = JSONWriter()
        w.write(self)
        return w.bytes
    }

    /// Compact standard JSON text.
    public var jsonString: String { String(decoding: jsonBytes, as: UTF8.self) }

    /// Appends the compact JSON bytes to `buffer`.
    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        buffer.writeBytes(jsonBytes)
    }
}
