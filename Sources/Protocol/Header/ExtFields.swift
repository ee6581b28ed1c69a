/// A command's `extFields`: the string map that typed headers are flattened into.
///
/// Stored as an array of pairs in wire order rather than a `Dictionary`: a header
/// has 1–20 short keys, for which a linear scan beats hashing, encoding is
/// deterministic (golden frames, reproducible captures), and decoding appends
/// without hashing anything. Lookup is last-wins, as Java's `HashMap.put` would be
/// for a peer that sends a key twice; ``subscript(_:)`` set replaces in place.
public struct ExtFields: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence, CustomStringConvertible {
    public typealias Element = (key: String, value: String)

    @usableFromInline var pairs: [Element]

    /// The most fields a decoder accepts in one header (real clients send < 32).
    /// Bounds the cost of last-wins lookups on hostile input.
    public static let maxCount = 1024

    public init() { pairs = [] }

    public init(minimumCapacity: Int) {
        pairs = []
        pairs.reserveCapacity(minimumCapacity)
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        pairs = elements.map { (key: $0.0, value: $0.1) }
    }

    /// From a dictionary, in key order (so that encoding is deterministic).
    public init(_ dictionary: [String: String]) {
        pairs = dictionary.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    public var count: Int { pairs.count }
    public var isEmpty: Bool { pairs.isEmpty }

    /// The value of the last field named `key`; setting nil removes every field of that name.
    @inlinable
    public subscript(key: String) -> String? {
        get {
            var i = pairs.count - 1
            while i >= 0 {
                if pairs[i].key == key { return pairs[i].value }
                i -= 1
            }
            return nil
        }
        set {
            if let value = newValue {
                if let i = pairs.lastIndex(where: { $0.key == key }) {
                    pairs[i].value = value
                } else {
                    pairs.append((key: key, value: value))
                }
            } else {
                pairs.removeAll { $0.key == key }
            }
        }
    }

    /// Appends without looking for an existing field (decoders and header encoders,
    /// which know their keys are new).
    @inlinable
    public mutating func append(_ key: String, _ value: String) {
        pairs.append((key: key, value: value))
    }

    /// Appends `value` under `key` when it is not nil.
    @inlinable
    public mutating func append(_ key: String, _ value: String?) {
        if let value { pairs.append((key: key, value: value)) }
    }

    /// Appends a number's decimal text.
    @inlinable
    public mutating func append(_ key: String, _ value: some BinaryInteger) {
        pairs.append((key: key, value: Self.decimal(value)))
    }

    /// Appends a number's decimal text when it is not nil.
    @inlinable
    public mutating func append<T: BinaryInteger>(_ key: String, _ value: T?) {
        if let value { pairs.append((key: key, value: Self.decimal(value))) }
    }

    /// The texts of 0...1023: queue ids, flags and counts in every send header
    /// are small, and formatting them costs more than a look-up.
    @usableFromInline static let smallDecimals: [String] = (0..<1024).map { String($0) }

    @inlinable
    static func decimal(_ value: some BinaryInteger) -> String {
        if value >= 0 && value < 1024 { return smallDecimals[Int(value)] }
        return String(value)
    }

    /// Appends "true" / "false" (Java's `Boolean.toString`).
    @inlinable
    public mutating func append(_ key: String, _ value: Bool) {
        pairs.append((key: key, value: value ? "true" : "false"))
    }

    /// Appends "true" / "false" when it is not nil.
    @inlinable
    public mutating func append(_ key: String, _ value: Bool?) {
        if let value { append(key, value) }
    }

    /// Merges `other` in, replacing fields of the same name.
    public mutating func merge(_ other: ExtFields) {
        for (k, v) in other.pairs { self[k] = v }
    }

    /// As a dictionary (last wins on duplicate keys).
    public var dictionary: [String: String] {
        Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    public func makeIterator() -> IndexingIterator<[Element]> { pairs.makeIterator() }

    public static func == (lhs: ExtFields, rhs: ExtFields) -> Bool {
        lhs.dictionary == rhs.dictionary
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(dictionary)
    }

    public var description: String {
        "{" + pairs.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "}"
    }
}
