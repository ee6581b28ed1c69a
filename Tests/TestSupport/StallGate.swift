import Foundation
import Synchronization

/// A switch for fault hooks that stall a server thread (a "hung disk"): while
/// closed, every `pass()` blocks until `open()`. Tests see how many callers
/// arrived through `entered`.
public final class StallGate: Sendable {
    private struct State {
        var closed = false
        var waiting = 0
        var entered = 0
    }
    private let state = Mutex(State())
    private let semaphore = DispatchSemaphore(value: 0)

    public init() {}

    public func close() { state.withLock { $0.closed = true } }

    /// Lets every blocked caller go, and later ones through.
    public func open() {
        let n = state.withLock { s in
            s.closed = false
            defer { s.waiting = 0 }
            return s.waiting
        }
        for _ in 0..<n { semaphore.signal() }
    }

    /// The hook: returns at once while open, blocks while closed.
    public func pass() {
        let wait = state.withLock { s in
            guard s.closed else { return false }
            s.waiting += 1
            s.entered += 1
            return true
        }
        if wait { semaphore.wait() }
    }

    /// Callers that found the gate closed so far.
    public var entered: Int { state.withLock { $0.entered } }
}
