import Foundation
import Synchronization

/// A named background thread with RocketMQ's `ServiceThread` shape: a loop that
/// sleeps until woken or until an interval passes. The wake-up flag makes a
/// `wakeup()` that races with the start of a wait never get lost.
final class ServiceThread: @unchecked Sendable {
    // @unchecked: all mutable state is behind `state`, and the pthread
    // condition is only used with that mutex's twin below.
    private struct State {
        var notified = false
        var stopped = false
        var finished = false
    }
    private let state = Mutex(State())
    private let cond = Condition()
    let name: String
    private let body: @Sendable (ServiceThread) -> Void

    init(name: String, body: @escaping @Sendable (ServiceThread) -> Void) {
        self.name = name
        self.body = body
    }

    func start() {
        let t = Thread { [self] in
            // The kernel's thread name (15 bytes), so top -H, perf and /proc show it.
            setCurrentThreadName(name)
            body(self)
            state.withLock { $0.finished = true }
            cond.broadcast()
        }
        t.name = name
        t.start()
    }

    var isStopped: Bool { state.withLock { $0.stopped } }

    /// Wakes the loop if it is waiting (or makes its next wait return at once).
    func wakeup() {
        let wasNotified = state.withLock { s -> Bool in
            let was = s.notified
            s.notified = true
            return was
        }
        if !wasNotified { cond.signal() }
    }

    /// Waits up to `milliseconds` unless already woken. Clears the wake-up flag.
    func waitForRunning(milliseconds: Int) {
        if state.withLock({ s -> Bool in
            if s.notified || s.stopped { s.notified = false; return true }
            return false
        }) { return }
        cond.wait(milliseconds: milliseconds) {
            self.state.withLock { s in
                if s.notified || s.stopped { s.notified = false; return true }
                return false
            }
        }
    }

    /// Asks the loop to stop and waits until it has returned.
    func shutdown() {
        state.withLock { $0.stopped = true }
        cond.broadcast()
        cond.waitUntil { self.state.withLock { $0.finished } }
    }
}

/// Names the calling thread for the kernel (15 bytes, `/proc/thread-self/comm`),
/// so `top -H`, `perf` and `/proc/PID/task/*/comm` show which thread is which;
/// Foundation's `Thread.name` does not reach the kernel on Linux.
public func setCurrentThreadName(_ name: String) {
    let fd = open("/proc/thread-self/comm", O_WRONLY)
    guard fd >= 0 else { return }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

/// A pthread condition variable with its own mutex, used only for sleeping;
/// the predicate lives elsewhere and is re-checked under this mutex.
final class Condition: @unchecked Sendable {
    // @unchecked: pthread objects are used only through their own API.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        pthread_cond_init(cond, &attr)
        pthread_condattr_destroy(&attr)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    func signal() {
        pthread_mutex_lock(mutex)
        pthread_cond_signal(cond)
        pthread_mutex_unlock(mutex)
    }

    func broadcast() {
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(cond)
        pthread_mutex_unlock(mutex)
    }

    /// Sleeps until `done()` is true or the time passes.
    func wait(milliseconds: Int, until done: () -> Bool) {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let ns = deadline.tv_nsec + (milliseconds % 1000) * 1_000_000
        deadline.tv_sec += milliseconds / 1000 + ns / 1_000_000_000
        deadline.tv_nsec = ns % 1_000_000_000
        pthread_mutex_lock(mutex)
        while !done() {
            if pthread_cond_timedwait(cond, mutex, &deadline) == ETIMEDOUT { break }
        }
        pthread_mutex_unlock(mutex)
    }

    func waitUntil(_ done: () -> Bool) {
        pthread_mutex_lock(mutex)
        while !done() { pthread_cond_wait(cond, mutex) }
        pthread_mutex_unlock(mutex)
    }
}
