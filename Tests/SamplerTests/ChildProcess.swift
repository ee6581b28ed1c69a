import Foundation

/// A child process started with posix_spawn, with its signal mask cleared.
///
/// Foundation's `Process` passes on the spawning thread's blocked signals, and
/// test-runner threads block SIGALRM: sar, iostat and pidstat pace themselves
/// with alarm(2) and would then wait forever. Resetting the mask and dispositions
/// gives the child a normal environment.
final class ChildProcess {
    let pid: pid_t
    private var outputFD: Int32 = -1
    private var reaped = false
    /// The exit code once reaped (`nil` if killed by a signal or still running).
    private(set) var exitCode: Int32?

    /// Starts `path` with `arguments`; stdout (and stderr, when `withStderr`) is captured when `capture`.
    init(_ path: String, _ arguments: [String], environment: [String: String] = [:], capture: Bool = true,
         withStderr: Bool = true) throws {
        var fds: [Int32] = [-1, -1]
        if capture {
            guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
            // pipe2(O_CLOEXEC) is not imported; mark both ends so no other child inherits them.
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if capture {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            if withStderr {
                posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
            } else {
                posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            }
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let env = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + env).forEach { free($0) } }
        var child = pid_t()
        let rc = posix_spawn(&child, path, &actions, &attributes, argv, env)
        if capture { close(fds[1]) }
        guard rc == 0 else {
            if capture { close(fds[0]) }
            throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .ENOENT)
        }
        pid = child
        outputFD = capture ? fds[0] : -1
    }

    /// Reads all output until the child closes it, then reaps the child.
    func finish() -> String {
        var data = [UInt8]()
        if outputFD >= 0 {
            var chunk = [UInt8](repeating: 0, count: 16 << 10)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(outputFD, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                data += chunk[0..<n]
            }
            close(outputFD)
            outputFD = -1
        }
        reap()
        return String(decoding: data, as: UTF8.self)
    }

    /// Kills the child we started (by its PID) and reaps it.
    func kill() {
        guard !reaped else { return }
        Foundation.kill(pid, SIGKILL)
        _ = finish()
    }

    private func reap() {
        guard !reaped else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        // WIFEXITED / WEXITSTATUS are macros Swift does not import.
        if status & 0x7f == 0 { exitCode = (status >> 8) & 0xff }
    }

    deinit {
        kill()
    }
}
