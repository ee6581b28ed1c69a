import ArgumentParser
import Foundation
import Sampler

/// `mqbench doctor`: the host checklist.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Audit this host for running a PeakMQ broker, NameServer or client.",
        discussion: "Exits 1 when a critical check fails. --fix-script writes a script to review; nothing on the host is changed."
    )

    @Option(help: "What the host will run: broker, namesrv or client.")
    var role: Role = .broker

    @Option(help: "Store directory (default: $HOME/store). Need not exist yet.")
    var store: String?

    @Option(help: "Bytes the store must hold at its retention limit (e.g. 500G).", transform: SizeOption.parse)
    var retention: SizeOption?

    @Option(help: "Bytes the broker will mlock (transient store pool, warmed segments), e.g. 5G.", transform: SizeOption.parse)
    var lockedMemory: SizeOption?

    @Option(help: "Event-loop threads the process will run (checked against cores).")
    var eventLoopThreads: Int?

    @Option(help: "Store threads (flush, dispatch) the broker will run.")
    var storeThreads: Int?

    @Option(help: "Whether mapped segments are pre-touched at creation (true/false).")
    var warmMappedFiles: Bool?

    @Option(help: "Root holding proc/ and sys/ (for auditing a captured tree).")
    var root = "/"

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: "Write a shell script with the fixes to this file (the host is not changed).")
    var fixScript: String?

    func run() async throws {
        _ = Startup.begin("doctor")
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        var config = DoctorConfig(role: role, storeDirectory: store ?? home + "/store", retentionBytes: retention?.bytes)
        config.lockedMemoryBytes = lockedMemory?.bytes ?? 0
        config.eventLoopThreads = eventLoopThreads
        config.storeThreads = storeThreads
        config.warmMappedFiles = warmMappedFiles
        let host = HostFactsReader(fs: ProcFS(root: root)).read(storeDirectory: config.storeDirectory)
        let report = Doctor.evaluate(DoctorInput(host: host, runtime: RuntimeProbe.current(), config: config))
        if json {
            try printJSON(report)
        } else {
            print(DoctorTable.render(report))
        }
        if let fixScript {
            let text = FixScript.render(report, hostLabel: ProcessInfo.processInfo.hostName)
            try text.write(toFile: fixScript, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fixScript)
            FileHandle.standardError.write(Data("fix script written to \(fixScript) (review it; nothing was changed)\n".utf8))
        }
        if report.hasCriticalFailure { throw ExitCode(1) }
    }
}

extension Role: ExpressibleByArgument {}
