import Foundation
import Metrics
import Profiles

/// The live view of a run: Metrics' progress line on stderr per interval and,
/// in `DIR/interval.log`, the send and consume lines in the shape of
/// RocketMQ's benchmark tools.
struct RunProgress: Sendable {
    let total: Double
    let enabled: Bool
    let logPath: String

    init(profile: Profile, outDirectory: String, enabled: Bool) {
        total = profile.warmup + profile.duration
        self.enabled = enabled
        logPath = outDirectory + "/interval.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    }

    /// One interval closed `elapsed` seconds after load started.
    func interval(_ stats: IntervalStats, elapsed: Double) {
        if enabled {
            FileHandle.standardError.write(Data((ProgressLine.render(stats, elapsed: elapsed, total: total) + "\n").utf8))
        }
        guard let h = FileHandle(forWritingAtPath: logPath) else { return }
        h.seekToEndOfFile()
        h.write(Data((RocketMQLogLine.send(stats) + "\n" + RocketMQLogLine.consume(stats) + "\n").utf8))
        try? h.close()
    }
}
