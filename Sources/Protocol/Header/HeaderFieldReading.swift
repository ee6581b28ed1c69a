/// Typed access to `extFields` for header decoders, with RocketMQ's validation:
/// a missing required field is ``ProtocolError/missingField(_:)``, a value that
/// does not parse is ``ProtocolError/invalidField(name:value:)``.
extension ExtFields {
    /// A required string. An empty value counts as present (Java keeps "").
    @inlinable
    public func string(_ name: String) throws(ProtocolError) -> String {
        guard let v = self[name] else { throw .missingField(name) }
        return v
    }

    /// A required integer in decimal (optional leading '-' or '+').
    @inlinable
    public func int<T: FixedWidthInteger>(_ name: String, as _: T.Type = T.self) throws(ProtocolError) -> T {
        try Self.requiredInt(self[name], name)
    }

    /// An optional integer: nil when absent or empty; an error when present but not a number.
    @inlinable
    public func optionalInt<T: FixedWidthInteger>(_ name: String, as _: T.Type = T.self) throws(ProtocolError) -> T? {
        try Self.optionalInt(self[name], name)
    }

    /// `value` of the field `name` as a required integer (for decoders that
    /// collect their fields in one pass).
    @inlinable
    public static func requiredInt<T: FixedWidthInteger>(_ value: String?, _ name: String) throws(ProtocolError) -> T {
        guard let v = value else { throw .missingField(name) }
        guard let n = T(v) ?? T(v.trimmedASCIIWhitespace) else { throw .invalidField(name: name, value: v) }
        return n
    }

    /// `value` of the field `name` as an optional integer (nil when absent or empty).
    @inlinable
    public static func optionalInt<T: FixedWidthInteger>(_ value: String?, _ name: String) throws(ProtocolError) -> T? {
        guard let v = value, !v.isEmpty else { return nil }
        guard let n = T(v) ?? T(v.trimmedASCIIWhitespace) else { throw .invalidField(name: name, value: v) }
        return n
    }

    /// A required boolean. Accepts "true"/"false" in any case (Java's
    /// `Boolean.parseBoolean`) and also "1"/"0", which the C++ client writes.
    @inlinable
    public func bool(_ name: String) throws(ProtocolError) -> Bool {
        guard let v = self[name] else { throw .missingField(name) }
        guard let b = Self.parseBool(v) else { throw .invalidField(name: name, value: v) }
        return b
    }

    /// An optional boolean: nil when absent or empty.
    @inlinable
    public func optionalBool(_ name: String) throws(ProtocolError) -> Bool? {
        try Self.optionalBool(self[name], name)
    }

    /// `value` of the field `name` as an optional boolean (nil when absent or empty).
    @inlinable
    public static func optionalBool(_ value: String?, _ name: String) throws(ProtocolError) -> Bool? {
        guard let v = value, !v.isEmpty else { return nil }
        guard let b = Self.parseBool(v) else { throw .invalidField(name: name, value: v) }
        return b
    }

    @usableFromInline
    static func parseBool(_ v: String) -> Bool? {
        switch v {
        case "true", "1": return true
        case "false", "0": return false
        default:
            switch v.lowercased() {
            case "true": return true
            case "false": return false
            default: return nil
            }
        }
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and line breaks.
    @usableFromInline
    var trimmedASCIIWhitespace: Substring {
        let u = utf8
        guard let first = u.firstIndex(where: { !isASCIIWhitespace($0) }) else { return "" }
        let last = u.lastIndex(where: { !isASCIIWhitespace($0) }) ?? first
        return self[first...last]
    }
}

@usableFromInline
func isASCIIWhitespace(_ c: UInt8) -> Bool {
    c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
}

/// A typed request or response header: a value that flattens to `extFields`
/// under exactly RocketMQ's field names and is parsed back with validation.
public protocol CommandHeader: Sendable {
    /// Parses and validates.
    /// - Throws: ``ProtocolError/missingField(_:)`` or ``ProtocolError/invalidField(name:value:)``.
    init(extFields: ExtFields) throws(ProtocolError)
    /// The fields as RocketMQ names them; optional fields that are nil are left out.
    var extFields: ExtFields { get }
}
