#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads whole small files into one buffer that is reused across ticks.
///
/// The sampler reads a dozen /proc files every second for the lifetime of a
/// broker; allocating a `String` or `Data` per file per tick would dominate its
/// cost. A plain `open`/`read` into a growing, reused byte buffer keeps a tick at
/// a few system calls and no steady-state allocation.
///
/// A value type: each sampling thread works on its own copy.
public struct FileBuffer: Sendable {
    private var storage: [UInt8]
    private var count = 0

    /// - Parameter capacity: initial size; grows on demand and is then kept.
    public init(capacity: Int = 16 * 1024) {
        storage = [UInt8](repeating: 0, count: max(capacity, 256))
    }

    /// Reads `path` completely. Returns `nil` on success or a short reason on failure.
    ///
    /// /proc files report size 0 from `stat`, so the only way to know the length is
    /// to read until `read` returns 0; the buffer doubles while it keeps filling up.
    public mutating func load(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return Self.describe(errno, path) }
        defer { close(fd) }
        count = 0
        while true {
            if count == storage.count {
                storage.append(contentsOf: repeatElement(0, count: storage.count))
            }
            let n = storage.withUnsafeMutableBytes { raw in
                readBytes(fd, raw.baseAddress! + count, raw.count - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return Self.describe(errno, path)
            }
            if n == 0 { return nil }
            count += n
        }
    }

    /// Runs `body` over the bytes of the last successful `load`.
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        storage.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[0..<count]))
        }
    }

    /// Loads `path` and parses it with `parse`; a missing file or a `nil` parse
    /// becomes `.unavailable` with a reason naming the path.
    public mutating func read<T>(_ path: String, _ parse: (inout ByteScanner) -> T?) -> Reading<T> {
        if let failure = load(path) { return .unavailable(failure) }
        let parsed: T? = withBytes { bytes in
            var scanner = ByteScanner(bytes)
            return parse(&scanner)
        }
        guard let parsed else { return .unavailable("\(path): unexpected format") }
        return .available(parsed)
    }

    /// A short, stable description of an errno value for `.unavailable` reasons.
    static func describe(_ code: Int32, _ path: String) -> String {
        switch code {
        case ENOENT: return "\(path): not present"
        case EACCES, EPERM: return "\(path): permission denied"
        case EINVAL: return "\(path): not supported by the device"
        default: return "\(path): errno \(code)"
        }
    }
}

/// `read(2)` under a name that the `FileBuffer.read` method does not shadow.
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
