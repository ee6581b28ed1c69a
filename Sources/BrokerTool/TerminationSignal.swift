import Dispatch
import Foundation
import Synchronization

/// Waits for SIGTERM or SIGINT (delivered through dispatch sources, so the
/// default handlers no longer kill the process).
enum TerminationSignal {
    /// Suspends until the first SIGTERM or SIGINT; returns its number.
    static func wait() async -> Int32 {
        let queue = DispatchQueue(label: "peakmq.signals")
        let sources = [SIGTERM, SIGINT].map { sig in
            signal(sig, SIG_IGN)
            return (sig, DispatchSource.makeSignalSource(signal: sig, queue: queue))
        }
        let got: Int32 = await withCheckedContinuation { c in
            let resumed = Mutex(false)
            for (sig, source) in sources {
                source.setEventHandler {
                    let first = resumed.withLock { r in
                        defer { r = true }
                        return !r
                    }
                    if first { c.resume(returning: sig) }
                }
                source.resume()
            }
        }
        for (_, s) in sources { s.cancel() }
        return got
    }
}
