import Foundation

/// Everything the store can refuse or fail at, with the reason a person reads.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// A system call failed: which, on what, and errno.
    case system(call: String, path: String, errno: Int32)
    /// The disk ran out of space while preallocating or flushing.
    case diskFull(path: String, detail: String)
    /// A message or batch is unacceptable; nothing was written.
    case messageIllegal(String)
    /// Properties longer than the int16 length field allows.
    case propertiesSizeExceeded(Int)
    /// The store refuses writes (disk above the warning level, shut down, slave, …).
    case serviceNotAvailable(String)
    /// The store directory cannot be used as is.
    case incompatibleStore(String)
    /// A configuration key has a value the store cannot use.
    case invalidConfig(key: String, reason: String)
    /// Data on disk that contradicts itself beyond what recovery repairs.
    case corrupt(String)

    public var description: String {
        switch self {
        case .system(let call, let path, let e):
            return "\(call)(\(path)) failed: \(String(cString: strerror(e))) (errno \(e))"
        case .diskFull(let path, let detail): return "disk full at \(path): \(detail)"
        case .messageIllegal(let why): return "message illegal: \(why)"
        case .propertiesSizeExceeded(let n): return "properties are \(n) bytes, over the \(Int16.max)-byte limit"
        case .serviceNotAvailable(let why): return "service not available: \(why)"
        case .incompatibleStore(let why): return "incompatible store: \(why)"
        case .invalidConfig(let key, let reason): return "invalid value for \(key): \(reason)"
        case .corrupt(let why): return "store corrupt: \(why)"
        }
    }

    static func fromErrno(_ call: String, _ path: String, _ e: Int32 = errno) -> StoreError {
        if e == ENOSPC || e == EDQUOT { return .diskFull(path: path, detail: "\(call): \(String(cString: strerror(e)))") }
        return .system(call: call, path: path, errno: e)
    }
}
