import Foundation
import Synchronization

/// Bounded, steady loads for the accuracy test. Each runs until `stop()` or its
/// own byte/time budget, whichever comes first, and touches only a temp file
/// and 127.0.0.1.

/// Sleeps until `start + sent / rate`: a rate limiter, not synchronisation.
struct Pacer {
    let bytesPerSecond: Double
    let start = Date()

    func wait(afterSending sent: Int) {
        let due = start.addingTimeInterval(Double(sent) / bytesPerSecond)
        let ahead = due.timeIntervalSinceNow
        if ahead > 0 { Thread.sleep(forTimeInterval: ahead) }
    }
}

/// A shell busy loop in a child process, limited to 20 CPU-seconds by ulimit -t.
final class CPUBurner {
    let child: ChildProcess
    var pid: Int32 { child.pid }

    init() throws {
        child = try ChildProcess("/bin/sh", ["-c", "ulimit -t 20; while :; do :; done"], capture: false)
    }

    /// Stops the child we started, by its PID.
    func stop() { child.kill() }
}

/// Rewrites a 32 MiB temp file in 256 KiB blocks with fdatasync after each,
/// paced to a fixed rate, on its own thread.
final class DiskWriter: Sendable {
    private let path: String
    private let stopped = Atomic<Bool>(false)
    private let progress = Mutex(0)          // blocks written
    private let done = DispatchSemaphore(value: 0)
    private let firstSyncs = DispatchSemaphore(value: 0)

    init(directory: String, bytesPerSecond: Double, maxSeconds: Double = 15) throws {
        path = directory + "/peakmq-accuracy-\(getpid()).dat"
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        Thread.detachNewThread { [self] in
            let block = [UInt8](repeating: 0xA5, count: 256 << 10)
            let fileBlocks = 128
            let pacer = Pacer(bytesPerSecond: bytesPerSecond)
            var n = 0
            while !stopped.load(ordering: .relaxed), pacer.start.timeIntervalSinceNow > -maxSeconds {
                let offset = off_t((n % fileBlocks) * block.count)
                _ = block.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, offset) }
                fdatasync(fd)
                n += 1
                progress.withLock { $0 = n }
                if n == 8 { firstSyncs.signal() }
                pacer.wait(afterSending: n * block.count)
            }
            close(fd)
            done.signal()
        }
    }

    /// Blocks until the first few blocks reached the disk (steady state).
    func waitUntilRunning() { firstSyncs.wait() }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        done.wait()
        unlink(path)
    }
}

/// A paced TCP stream from a client thread to a server thread over 127.0.0.1.
final class LoopbackTransfer: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let received = Mutex(0)
    private let connected = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(bytesPerSecond: Double, maxBytes: Int = 1 << 30) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, len) }
        }
        guard listener >= 0, bound == 0, listen(listener, 1) == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) }
        }
        let port = addr.sin_port
        Thread.detachNewThread { [self] in
            let conn = accept(listener, nil, nil)
            close(listener)
            var buffer = [UInt8](repeating: 0, count: 256 << 10)
            while conn >= 0 {
                let n = buffer.withUnsafeMutableBytes { recv(conn, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                received.withLock { $0 += n }
            }
            if conn >= 0 { close(conn) }
            finished.signal()
        }
        Thread.detachNewThread { [self] in
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var peer = sockaddr_in()
            peer.sin_family = sa_family_t(AF_INET)
            peer.sin_addr.s_addr = inet_addr("127.0.0.1")
            peer.sin_port = port
            let ok = withUnsafePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
            connected.signal()
            let chunk = [UInt8](repeating: 0x5A, count: 64 << 10)
            let pacer = Pacer(bytesPerSecond: bytesPerSecond)
            var sent = 0
            while ok, !stopped.load(ordering: .relaxed), sent < maxBytes {
                let n = chunk.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                sent += n
                pacer.wait(afterSending: sent)
            }
            close(fd)
        }
    }

    /// Blocks until the client connected and the server has received data.
    func waitUntilRunning() {
        connected.wait()
        while received.withLock({ $0 }) == 0 { sched_yield() }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        finished.wait()
    }
}
