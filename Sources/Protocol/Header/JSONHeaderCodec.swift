import NIOCore

/// The JSON header, as fastjson (Java) and jsoncpp (C++) write it:
///
/// ```
/// {"code":310,"extFields":{"a":"group",…},"flag":0,"language":"JAVA","opaque":7,
///  "remark":"…","serializeTypeCurrentRPC":"JSON","version":413}
/// ```
///
/// Writing: keys in fastjson's (alphabetical) order, `remark` and `extFields`
/// left out when nil/empty, every extFields value a JSON string — the C++ client
/// reads response header fields only when `isString()`.
///
/// Reading is lenient where clients differ: `language` as a name ("JAVA",
/// "CPP") or a number; ext values as strings, numbers or booleans (the C++
/// client sends `"d":4`); `opaque`, `flag`, `version` default to 0 when absent.
/// `code` is required. `serializeTypeCurrentRPC` is ignored: the frame's type
/// byte is authoritative. Trailing whitespace is fine (jsoncpp's FastWriter
/// ends the header with a newline).
public enum JSONHeaderCodec {
    /// Appends the JSON header of `command` to `buffer`.
    @discardableResult
    public static func encode(_ command: RemotingCommand, into buffer: inout ByteBuffer) -> Int {
        var w = JSONWriter(capacity: 128 + command.extFields.count * 32)
        w.appendASCII("{\"code\":")
        w.appendNumber(Int64(command.code))
        if !command.extFields.isEmpty {
            w.appendASCII(",\"extFields\":{")
            var first = true
            for (key, value) in command.extFields {
                if !first { w.out.append(UInt8(ascii: ",")) }
                first = false
                w.writeString(key)
                w.out.append(UInt8(ascii: ":"))
                w.writeString(value)
            }
            w.out.append(UInt8(ascii: "}"))
        }
        w.appendASCII(",\"flag\":")
        w.appendNumber(Int64(command.flag))
        w.appendASCII(",\"language\":")
        if let name = command.language.name {
            w.writeString(name)
        } else {
            w.appendNumber(Int64(command.language.rawValue))
        }
        w.appendASCII(",\"opaque\":")
        w.appendNumber(Int64(command.opaque))
        if let remark = command.remark {
            w.appendASCII(",\"remark\":")
            w.writeString(remark)
        }
        w.appendASCII(",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":")
        w.appendNumber(Int64(command.version))
        w.out.append(UInt8(ascii: "}"))
        return buffer.writeBytes(w.bytes)
    }

    /// Decodes a whole JSON header into a command without a body.
    /// - Throws: ``ProtocolError/malformedJSON(_:)`` for text that is not a JSON
    ///   object; ``ProtocolError/missingField(_:)`` without `code`;
    ///   ``ProtocolError/invalidField(name:value:)`` for a non-numeric number field.
    public static func decode(_ header: ByteBuffer) throws(ProtocolError) -> RemotingCommand {
        let root = try JSONValue.parse(header, limits: JSONParser.Limits(maxDepth: 8))
        return try command(from: root)
    }

    static func command(from root: JSONValue) throws(ProtocolError) -> RemotingCommand {
        guard case .object = root else { throw .malformedJSON("header is not an object") }
        func int32(_ name: String, required: Bool = false) throws(ProtocolError) -> Int32 {
            guard let v = root[name], !v.isNull else {
                if required { throw .missingField(name) }
                return 0
            }
            guard let n = v.int32Value else { throw .invalidField(name: name, value: v.stringValue ?? v.jsonString) }
            return n
        }
        let code = try int32("code", required: true)
        let opaque = try int32("opaque")
        let flag = try int32("flag")
        let version = try int32("version")
        var language = RemotingCommand.defaultLanguage
        switch root["language"] {
        case .string(let name)?:
            language = LanguageCode(name: name) ?? .other
        case .some(let v):
            if let n = v.int64Value, let b = UInt8(exactly: n) { language = LanguageCode(rawValue: b) }
        case nil: break
        }
        let remark: String? = root["remark"].flatMap { $0.isNull ? nil : ($0.stringValue ?? $0.jsonString) }
        var ext = ExtFields()
        if let members = root["extFields"]?.members {
            guard members.count <= ExtFields.maxCount else {
                throw .malformedHeader("more than \(ExtFields.maxCount) extFields")
            }
            ext = ExtFields(minimumCapacity: members.count)
            for m in members where !m.value.isNull {
                ext.append(m.key, m.value.stringValue ?? m.value.jsonString)
            }
        }
        return RemotingCommand(
            code: code, language: language, version: version, opaque: opaque, flag: flag, remark: remark,
            extFields: ext, body: nil, serializeType: .json)
    }

    /// Best-effort recovery of `code`, `opaque` and `flag` from a header that does
    /// not parse: looks for `"opaque"` followed by `:` and an integer, and so on.
    /// Returns nil unless `opaque` is found.
    static func salvage(_ header: ByteBuffer) -> (code: Int32?, opaque: Int32, flag: Int32)? {
        header.withUnsafeReadableBytes { raw -> (code: Int32?, opaque: Int32, flag: Int32)? in
            guard let opaque = findInteger(key: "\"opaque\"", in: raw) else { return nil }
            return (findInteger(key: "\"code\"", in: raw), opaque, findInteger(key: "\"flag\"", in: raw) ?? 0)
        }
    }

    private static func findInteger(key: StaticString, in raw: UnsafeRawBufferPointer) -> Int32? {
        let k = UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        let n = raw.count
        guard n >= k.count else { return nil }
        var i = 0
        outer: while i + k.count <= n {
            for j in 0..<k.count where raw[i + j] != k[j] {
                i += 1
                continue outer
            }
            var p = i + k.count
            while p < n, isASCIIWhitespace(raw[p]) { p += 1 }
            guard p < n, raw[p] == UInt8(ascii: ":") else { i += 1; continue }
            p += 1
            while p < n, isASCIIWhitespace(raw[p]) { p += 1 }
            var negative = false
            if p < n, raw[p] == UInt8(ascii: "-") {
                negative = true
                p += 1
            }
            var value: Int64 = 0
            var digits = 0
            while p < n, raw[p] >= UInt8(ascii: "0"), raw[p] <= UInt8(ascii: "9"), digits < 11 {
                value = value * 10 + Int64(raw[p] - UInt8(ascii: "0"))
                digits += 1
                p += 1
            }
            guard digits > 0 else { i += 1; continue }
            return Int32(exactly: negative ? -value : value)
        }
        return nil
    }
}
