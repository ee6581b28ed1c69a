import Client
import Synchronization

/// One simulated producer's progress through its `SendPlan`: how many sends are
/// due (set by the ticker), which one goes next, how many are in flight.
///
/// Two ways to consume it. Async mode: the ticker takes every due send the
/// window allows (`takeDue`) and hands it to `Producer.sendAsync`; completions
/// give the slots back. Lane modes (sync, orderly, batch, oneway): a few
/// long-lived lane tasks each wait (`waitUntilDue`) for their next send, lane
/// `l` of `L` taking sends `l, l+L, …` so a lane's order is the plan's order.
final class SimulatedProducer: Sendable {
    let plan: SendPlan
    let client: Producer
    let window: Int

    private struct State {
        var due = 0
        var next = 0
        var inFlight = 0
        var issued = 0
        var stopped = false
        var waiters: [(unit: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    init(plan: SendPlan, client: Producer, window: Int) {
        self.plan = plan
        self.client = client
        self.window = max(1, window)
    }

    var id: Int { plan.producer }

    /// Marks `due` sends as due and wakes the lanes whose next send is among them.
    func advance(due: Int) {
        let ready = state.withLock { s -> [CheckedContinuation<Bool, Never>] in
            guard due > s.due else { return [] }
            s.due = due
            var ready: [CheckedContinuation<Bool, Never>] = []
            s.waiters.removeAll { w in
                guard w.unit < due else { return false }
                ready.append(w.continuation)
                s.issued += 1
                return true
            }
            return ready
        }
        for c in ready { c.resume(returning: true) }
    }

    /// Waits until send `unit` is due; false once stopped (or past the plan's end).
    func waitUntilDue(_ unit: Int) async -> Bool {
        guard unit < plan.totalUnits else { return false }
        return await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            let now: Bool? = state.withLock { s in
                if s.stopped { return false }
                if unit < s.due { s.issued += 1; return true }
                s.waiters.append((unit, c))
                return nil
            }
            if let now { c.resume(returning: now) }
        }
    }

    /// The due sends the window has room for, now counted in flight (async mode).
    func takeDue() -> Range<Int> {
        state.withLock { s in
            guard !s.stopped else { return s.next..<s.next }
            let upTo = min(s.due, s.next + window - s.inFlight)
            guard upTo > s.next else { return s.next..<s.next }
            let r = s.next..<upTo
            s.next = upTo
            s.inFlight += r.count
            s.issued += r.count
            return r
        }
    }

    /// A send taken with `takeDue` completed.
    func finished() {
        let idle = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.inFlight -= 1
            guard s.inFlight == 0 else { return [] }
            defer { s.idleWaiters = [] }
            return s.idleWaiters
        }
        for c in idle { c.resume() }
    }

    /// Stops issuing; waiting lanes return false.
    func stop() {
        let waiters = state.withLock { s in
            s.stopped = true
            defer { s.waiters = [] }
            return s.waiters.map(\.continuation)
        }
        for w in waiters { w.resume(returning: false) }
    }

    /// Waits until no async send is in flight.
    func awaitIdle() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { s in
                if s.inFlight == 0 { return true }
                s.idleWaiters.append(c)
                return false
            }
            if idle { c.resume() }
        }
    }

    /// Sends that were due but never started (behind schedule when the run stopped).
    var dropped: Int {
        guard !plan.isClosedLoop else { return 0 }
        return state.withLock { s in max(0, min(s.due, plan.totalUnits) - s.issued) }
    }

    /// Whether every due send was taken (async mode).
    var caughtUp: Bool { state.withLock { s in s.stopped || s.next >= min(s.due, plan.totalUnits) } }

    /// Sends started so far.
    var issued: Int { state.withLock { $0.issued } }
}
