/// The `language` header field (RocketMQ `LanguageCode`): one byte in the binary
/// header, an upper-case name in JSON. Unknown bytes survive a round trip.
public struct LanguageCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let java = LanguageCode(rawValue: 0)
    public static let cpp = LanguageCode(rawValue: 1)
    public static let dotnet = LanguageCode(rawValue: 2)
    public static let python = LanguageCode(rawValue: 3)
    public static let delphi = LanguageCode(rawValue: 4)
    public static let erlang = LanguageCode(rawValue: 5)
    public static let ruby = LanguageCode(rawValue: 6)
    public static let other = LanguageCode(rawValue: 7)
    public static let http = LanguageCode(rawValue: 8)
    public static let go = LanguageCode(rawValue: 9)
    public static let php = LanguageCode(rawValue: 10)
    public static let oms = LanguageCode(rawValue: 11)
    public static let rust = LanguageCode(rawValue: 12)

    private static let names = [
        "JAVA", "CPP", "DOTNET", "PYTHON", "DELPHI", "ERLANG", "RUBY", "OTHER", "HTTP", "GO", "PHP", "OMS", "RUST",
    ]

    /// The Java enum name, or nil for a code this table does not know.
    public var name: String? {
        Int(rawValue) < Self.names.count ? Self.names[Int(rawValue)] : nil
    }

    /// Looks a Java enum name up (case-insensitive).
    public init?(name: String) {
        let upper = name.uppercased()
        guard let index = Self.names.firstIndex(of: upper) else { return nil }
        self.rawValue = UInt8(index)
    }

    public var description: String { name ?? "LANGUAGE(\(rawValue))" }
}
