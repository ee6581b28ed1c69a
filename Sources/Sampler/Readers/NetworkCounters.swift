/// One interface line of /proc/net/dev (cumulative since the interface came up).
public struct NetworkCounters: Sendable, Equatable {
    public var name: String
    public var rxBytes: UInt64 = 0
    public var rxPackets: UInt64 = 0
    public var rxErrors: UInt64 = 0
    public var rxDrops: UInt64 = 0
    public var txBytes: UInt64 = 0
    public var txPackets: UInt64 = 0
    public var txErrors: UInt64 = 0
    public var txDrops: UInt64 = 0
    /// Speed and duplex from /sys, attached by `SnapshotReader`.
    public var link: LinkInfo?

    public init(name: String) {
        self.name = name
    }

    /// Parses /proc/net/dev: two header lines, then `iface: 8 rx fields 8 tx fields`.
    /// Old kernels print `eth0:123` with no space after the colon, hence the
    /// explicit split at `:` instead of at whitespace.
    public static func parseAll(_ s: inout ByteScanner) -> [NetworkCounters]? {
        s.nextLine()
        s.nextLine()
        var result: [NetworkCounters] = []
        while !s.atEnd {
            let name = s.word(stoppingAt: UInt8(ascii: ":"))
            if !name.isEmpty, s.consume(UInt8(ascii: ":")) {
                var values = [UInt64](repeating: 0, count: 16)
                var n = 0
                while n < 16, let v = s.unsigned() { values[n] = v; n += 1 }
                if n == 16 {
                    var c = NetworkCounters(name: name)
                    c.rxBytes = values[0]; c.rxPackets = values[1]; c.rxErrors = values[2]; c.rxDrops = values[3]
                    c.txBytes = values[8]; c.txPackets = values[9]; c.txErrors = values[10]; c.txDrops = values[11]
                    result.append(c)
                }
            }
            s.nextLine()
        }
        return result
    }
}

/// Link facts from /sys/class/net/IF, read when an interface is first seen.
public struct LinkInfo: Sendable, Equatable, Codable {
    /// Mb/s, or `nil` when the driver does not know (virtio, loopback, -1, EINVAL).
    public var speedMbps: Int?
    /// Full duplex unless the driver says "half" (affects %ifutil like sar).
    public var fullDuplex: Bool

    public init(speedMbps: Int?, fullDuplex: Bool) {
        self.speedMbps = speedMbps; self.fullDuplex = fullDuplex
    }

    /// Reads speed and duplex through `buffer`.
    public static func read(interface: String, fs: ProcFS, buffer: inout FileBuffer) -> LinkInfo {
        let speed = buffer.read(fs.path("sys/class/net/\(interface)/speed")) { $0.signed() }
        let duplex = buffer.read(fs.path("sys/class/net/\(interface)/duplex")) { $0.word() }
        let mbps = speed.value.flatMap { $0 > 0 ? Int($0) : nil }
        return LinkInfo(speedMbps: mbps, fullDuplex: duplex.value != "half")
    }
}
