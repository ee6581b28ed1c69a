#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A child process started with `posix_spawn`: stdout and stderr appended to a
/// log file, stdin from /dev/null, in its own process group (a Ctrl-C at the
/// terminal reaches mqbench only, which then stops its children in order),
/// default SIGINT/SIGTERM dispositions, and reaped by PID only.
///
/// Every live child is also signalled with SIGTERM when the process exits
/// through `exit()` (an error path that skipped the orderly stop).
public final class ChildProcess: Sendable {
    public let pid: pid_t
    public let executable: String
    public let logPath: String
    /// The wait status once reaped.
    private let status = Mutex<Int32?>(nil)

    public struct SpawnError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts `executable` with `arguments`, output appended to `logPath`.
    public init(executable: String, arguments: [String], logPath: String) throws(SpawnError) {
        self.executable = executable
        self.logPath = logPath
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGPIPE, SIGHUP] { sigaddset(&defaults, s) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([executable] + arguments).map { strdup($0) }
        defer { for a in argv { free(a) } }
        var cArgs = argv + [nil]
        var child: pid_t = 0
        let rc = cArgs.withUnsafeMutableBufferPointer { args in
            posix_spawn(&child, executable, &actions, &attributes, args.baseAddress!, environ)
        }
        guard rc == 0 else {
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        pid = child
        LiveChildren.shared.add(child)
    }

    /// Whether it still runs (reaps it if it ended).
    public var isRunning: Bool { reap() == nil }

    /// The exit description once ended: "exit 0", "signal 9".
    public var exitDescription: String? {
        guard let s = reap() else { return nil }
        let signal = s & 0x7f
        return signal == 0 ? "exit \((s >> 8) & 0xff)" : "signal \(signal)"
    }

    /// Sends `signal` to the process (not its group).
    public func signal(_ signal: Int32) {
        guard isRunning else { return }
        kill(pid, signal)
    }

    /// Waits up to `timeout` for the process to end; true when it did.
    public func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// SIGTERM, then SIGKILL if it has not ended within `grace`.
    public func terminate(grace: Duration) async {
        signal(SIGTERM)
        if await waitForExit(timeout: grace) { return }
        signal(SIGKILL)
        _ = await waitForExit(timeout: .seconds(10))
    }

    private func reap() -> Int32? {
        status.withLock { s in
            if let s { return s }
            var st: Int32 = 0
            let r = waitpid(pid, &st, WNOHANG)
            if r == pid || (r < 0 && errno == ECHILD) {
                s = r == pid ? st : 0
                LiveChildren.shared.remove(pid)
            }
            return s
        }
    }
}

/// Children still running, signalled at exit.
final class LiveChildren: Sendable {
    static let shared = LiveChildren()
    private let pids = Mutex<Set<pid_t>>([])

    private init() {
        atexit {
            for pid in LiveChildren.shared.pids.withLock({ $0 }) { kill(pid, SIGTERM) }
        }
    }

    func add(_ pid: pid_t) { pids.withLock { _ = $0.insert(pid) } }
    func remove(_ pid: pid_t) { pids.withLock { _ = $0.remove(pid) } }
}
