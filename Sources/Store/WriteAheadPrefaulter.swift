import Foundation

/// Keeps the pages just ahead of the CommitLog's write position mapped
/// writable (`MappedFile.prefaultWritable`), on its own thread, so the append
/// path is a plain `memcpy`. The appender wakes it when it has used half the
/// window; measured effect in docs/PERFORMANCE.md.
final class WriteAheadPrefaulter: Sendable {
    /// How far ahead of the write position pages are kept writable.
    let window: Int
    private let thread: ServiceThread
    private let files: MappedFileQueue

    init(files: MappedFileQueue, window: Int) {
        self.files = files
        self.window = window
        thread = ServiceThread(name: "WriteAheadPrefault") { t in
            var supported = true
            while !t.isStopped && supported {
                t.waitForRunning(milliseconds: 100)
                guard let f = files.last else { continue }
                supported = f.prefaultWritable(upTo: f.wrotePosition + window)
            }
        }
    }

    func start() { thread.start() }
    func shutdown() { thread.shutdown() }

    /// Called after an append to `file` ending at `position`: wakes the thread
    /// once the appender is within half a window of the prefaulted edge.
    @inline(__always)
    func appended(_ file: MappedFile, position: Int) {
        if min(position + window / 2, file.fileSize) > file.writableThrough.load(ordering: .relaxed) {
            thread.wakeup()
        }
    }
}
