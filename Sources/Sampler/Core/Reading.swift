/// A value read from the kernel, or the reason it could not be read.
///
/// Missing files are common (older kernels lack `/proc/pressure`, containers hide
/// `/sys`, `/proc/PID/io` needs ownership). Reporting those as `0` would make a
/// broken sampler look like an idle machine, so every source that can be absent
/// is wrapped in `Reading` and the absence travels all the way into the JSON.
public enum Reading<Value> {
    /// The source was read and parsed.
    case available(Value)
    /// The source is absent, unreadable or malformed; the string says which.
    case unavailable(String)

    /// The value, or `nil` when unavailable.
    public var value: Value? {
        if case .available(let v) = self { return v }
        return nil
    }

    /// The reason the value is missing, or `nil` when available.
    public var unavailableReason: String? {
        if case .unavailable(let r) = self { return r }
        return nil
    }

    /// Transforms an available value; an unavailable reading stays unavailable.
    public func map<T>(_ transform: (Value) -> T) -> Reading<T> {
        switch self {
        case .available(let v): return .available(transform(v))
        case .unavailable(let r): return .unavailable(r)
        }
    }

    /// Chains a computation that may itself be unavailable.
    public func flatMap<T>(_ transform: (Value) -> Reading<T>) -> Reading<T> {
        switch self {
        case .available(let v): return transform(v)
        case .unavailable(let r): return .unavailable(r)
        }
    }
}

extension Reading: Sendable where Value: Sendable {}
extension Reading: Equatable where Value: Equatable {}

/// JSON shape: an available reading encodes as the bare value, an unavailable one
/// as `{"unavailable": "reason"}`, so consumers never mistake a gap for a number.
extension Reading: Codable where Value: Codable {
    private enum Key: String, CodingKey { case unavailable }

    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self),
           let reason = try? keyed.decode(String.self, forKey: .unavailable) {
            self = .unavailable(reason)
            return
        }
        self = .available(try Value(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .available(let v):
            try v.encode(to: encoder)
        case .unavailable(let reason):
            var keyed = encoder.container(keyedBy: Key.self)
            try keyed.encode(reason, forKey: .unavailable)
        }
    }
}
