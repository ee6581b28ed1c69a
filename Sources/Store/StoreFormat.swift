import Foundation
import Synchronization

/// The on-disk format marker, `store.format` in the store root:
///
/// ```
/// peakmq-store-format=1
/// mappedFileSizeCommitLog=1073741824
/// mappedFileSizeConsumeQueue=6000000
/// ```
/// A store written by an incompatible version, with other segment sizes, or a
/// directory that holds data but no marker, is refused rather than guessed at:
/// guessing could silently drop acknowledged data.
enum StoreFormat {
    static let current = 1
    static let header = "peakmq-store-format"

    static func checkOrCreate(config: StoreConfig) throws {
        let fm = FileManager.default
        let root = config.storePathRootDir
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        if let text = try? String(contentsOfFile: config.formatPath, encoding: .utf8) {
            var values: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
            }
            guard let v = values[header].flatMap(Int.init) else {
                throw StoreError.incompatibleStore("\(config.formatPath) is not a PeakMQ format marker (found '\(text.prefix(60))')")
            }
            guard v == current else {
                throw StoreError.incompatibleStore("\(root) holds store format \(v); this PeakMQ reads format \(current). Use a matching version or migrate; nothing was changed.")
            }
            for (key, configured) in [("mappedFileSizeCommitLog", config.mappedFileSizeCommitLog),
                                      ("mappedFileSizeConsumeQueue", config.mappedFileSizeConsumeQueue)] {
                if let stored = values[key].flatMap(Int.init), stored != configured {
                    throw StoreError.incompatibleStore("\(root) was created with \(key)=\(stored) but the configuration says \(configured); segment sizes cannot change on an existing store")
                }
            }
            return
        }
        let commitLogFiles = (try? fm.contentsOfDirectory(atPath: config.commitLogDir))?.filter { !$0.hasPrefix(".") } ?? []
        if !commitLogFiles.isEmpty {
            throw StoreError.incompatibleStore("\(root) holds commitlog data but no \((config.formatPath as NSString).lastPathComponent); it was not written by PeakMQ (or the marker was removed). Refusing to start rather than risk misreading it.")
        }
        let tmp = config.formatPath + ".tmp"
        let text = "\(header)=\(current)\nmappedFileSizeCommitLog=\(config.mappedFileSizeCommitLog)\nmappedFileSizeConsumeQueue=\(config.mappedFileSizeConsumeQueue)\n"
        try text.write(toFile: tmp, atomically: false, encoding: .utf8)
        guard rename(tmp, config.formatPath) == 0 else { throw StoreError.fromErrno("rename", config.formatPath) }
    }
}

/// An exclusive `flock` on `<root>/lock`: two brokers on one store would
/// interleave appends and corrupt it.
final class StoreLock: @unchecked Sendable {
    // @unchecked: fd is released at most once, guarded by the atomic flag.
    let fd: Int32
    private let released = Atomic<Bool>(false)
    init(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.fromErrno("open", path) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw StoreError.incompatibleStore("\(path) is locked: another broker is using this store")
        }
        self.fd = fd
    }
    /// Releases the lock now (after shutdown, or when a test simulates a crash).
    func release() {
        guard !released.exchange(true, ordering: .relaxed) else { return }
        flock(fd, LOCK_UN)
        close(fd)
    }
    deinit { release() }
}
