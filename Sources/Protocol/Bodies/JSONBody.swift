import NIOCore

/// A JSON body (RocketMQ `RemotingSerializable`): field names as Java's.
///
/// Reading is lenient in the ways real peers differ — numbers as strings and
/// strings as numbers, enums as names (Java) or ordinals (C++), missing
/// collections as empty — and strict where a value is unusable (a required
/// field missing → ``ProtocolError/missingField(_:)``, a non-number where a
/// number is needed → ``ProtocolError/invalidField(name:value:)``).
public protocol JSONBody: Sendable {
    init(json: JSONValue) throws(ProtocolError)
    var json: JSONValue { get }
}

extension JSONBody {
    /// Parses a body buffer (its readable bytes).
    public init(body: ByteBuffer) throws(ProtocolError) {
        try self.init(json: JSONValue.parse(body))
    }

    /// Parses body bytes.
    public init(bytes: [UInt8]) throws(ProtocolError) {
        try self.init(json: JSONValue.parse(bytes))
    }

    /// Parses a command's body; a missing body is ``ProtocolError/malformedBody(_:)``.
    public init(bodyOf command: RemotingCommand) throws(ProtocolError) {
        guard let body = command.body else { throw .malformedBody("\(Self.self) expected, no body") }
        try self.init(body: body)
    }

    /// The compact JSON bytes.
    public var jsonBytes: [UInt8] { json.jsonBytes }

    /// The body as a buffer.
    public func bodyBuffer(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        let bytes = jsonBytes
        var b = allocator.buffer(capacity: bytes.count)
        b.writeBytes(bytes)
        return b
    }
}

// MARK: - Field reading for body decoders

extension JSONValue {
    /// The member `key`; missing or null is ``ProtocolError/missingField(_:)``.
    public func field(_ key: String) throws(ProtocolError) -> JSONValue {
        guard let v = self[key], !v.isNull else { throw .missingField(key) }
        return v
    }

    /// A required string member (numbers and booleans are given as text).
    public func string(_ key: String) throws(ProtocolError) -> String {
        let v = try field(key)
        guard let s = v.stringValue else { throw .invalidField(name: key, value: v.jsonString) }
        return s
    }

    /// An optional string member.
    public func optionalString(_ key: String) -> String? {
        guard let v = self[key], !v.isNull else { return nil }
        return v.stringValue
    }

    /// A required integer member (from a number or a decimal string).
    public func int<T: FixedWidthInteger>(_ key: String, as _: T.Type = T.self) throws(ProtocolError) -> T {
        let v = try field(key)
        guard let n = v.int64Value, let t = T(exactly: n) else { throw .invalidField(name: key, value: v.jsonString) }
        return t
    }

    /// An integer member that defaults when missing or null; present but not a number is an error.
    public func int<T: FixedWidthInteger>(_ key: String, default d: T) throws(ProtocolError) -> T {
        guard let v = self[key], !v.isNull else { return d }
        guard let n = v.int64Value, let t = T(exactly: n) else { throw .invalidField(name: key, value: v.jsonString) }
        return t
    }

    /// An optional integer member.
    public func optionalInt<T: FixedWidthInteger>(_ key: String, as _: T.Type = T.self) throws(ProtocolError) -> T? {
        guard let v = self[key], !v.isNull else { return nil }
        guard let n = v.int64Value, let t = T(exactly: n) else { throw .invalidField(name: key, value: v.jsonString) }
        return t
    }

    /// A boolean member that defaults when missing or null.
    public func bool(_ key: String, default d: Bool) throws(ProtocolError) -> Bool {
        guard let v = self[key], !v.isNull else { return d }
        guard let b = v.boolValue else { throw .invalidField(name: key, value: v.jsonString) }
        return b
    }

    /// A double member that defaults when missing or null.
    public func double(_ key: String, default d: Double) throws(ProtocolError) -> Double {
        guard let v = self[key], !v.isNull else { return d }
        guard let x = v.doubleValue else { throw .invalidField(name: key, value: v.jsonString) }
        return x
    }

    /// An array member's elements; missing or null is empty, a non-array an error.
    public func elements(_ key: String) throws(ProtocolError) -> [JSONValue] {
        guard let v = self[key], !v.isNull else { return [] }
        guard let a = v.array else { throw .invalidField(name: key, value: v.jsonString) }
        return a
    }

    /// An array member of strings (Java `List<String>` / `Set<String>`); missing is empty.
    public func strings(_ key: String) throws(ProtocolError) -> [String] {
        guard let v = self[key], !v.isNull else { return [] }
        return try v.stringElements(field: key)
    }

    /// This array's elements as strings; `field` names it in errors.
    public func stringElements(field: String) throws(ProtocolError) -> [String] {
        guard let a = array else { throw .invalidField(name: field, value: jsonString) }
        var out: [String] = []
        out.reserveCapacity(a.count)
        for e in a {
            guard let s = e.stringValue else { throw .invalidField(name: field, value: e.jsonString) }
            out.append(s)
        }
        return out
    }

    /// An object member's members; missing or null is empty, a non-object an error.
    public func entries(_ key: String) throws(ProtocolError) -> [JSONMember] {
        guard let v = self[key], !v.isNull else { return [] }
        guard let m = v.members else { throw .invalidField(name: key, value: v.jsonString) }
        return m
    }

    /// Decodes an array member into bodies.
    public func list<T: JSONBody>(_ key: String, of _: T.Type = T.self) throws(ProtocolError) -> [T] {
        var out: [T] = []
        for e in try elements(key) { out.append(try T(json: e)) }
        return out
    }

    /// Decodes a string-keyed object member into bodies.
    public func map<T: JSONBody>(_ key: String, of _: T.Type = T.self) throws(ProtocolError) -> [String: T] {
        var out: [String: T] = [:]
        for m in try entries(key) { out[m.key] = try T(json: m.value) }
        return out
    }
}

// MARK: - Building

extension JSONValue {
    /// An array of strings.
    public static func strings(_ items: some Sequence<String>) -> JSONValue {
        .array(items.map { .string($0) })
    }

    /// An object from a string-keyed map, keys sorted (deterministic output).
    public static func map<T>(_ dict: [String: T], _ transform: (T) -> JSONValue) -> JSONValue {
        .object(dict.sorted { $0.key < $1.key }.map { JSONMember($0.key, transform($0.value)) })
    }

    /// An optional string: null when nil.
    public static func string(_ s: String?) -> JSONValue {
        s.map { .string($0) } ?? .null
    }

    /// A 32-bit number.
    public static func int32(_ i: Int32) -> JSONValue { .int(Int64(i)) }
}

/// A Java enum carried in a JSON body: written as its name (fastjson), read
/// from its name or from its ordinal (the C++ client writes ordinals).
public protocol JavaEnum: RawRepresentable<String>, CaseIterable, Sendable, Hashable
where AllCases == [Self] {}

extension JavaEnum {
    /// Reads a name or an ordinal.
    public init(json: JSONValue, field: String) throws(ProtocolError) {
        if case .string(let s) = json, let v = Self(rawValue: s) {
            self = v
            return
        }
        if let n = json.int64Value, n >= 0, n < Int64(Self.allCases.count) {
            self = Self.allCases[Int(n)]
            return
        }
        throw .invalidField(name: field, value: json.stringValue ?? json.jsonString)
    }

    /// The Java ordinal.
    public var ordinal: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public var json: JSONValue { .string(rawValue) }
}
