import ArgumentParser
import Foundation
import MessageFormat
import Store
import ToolSupport

extension MQStoreCommand {
    /// Appends numbered messages and prints one `ACK` line per acknowledged
    /// message, flushed at once: a crash test kills this process mid-stream and
    /// then checks that every printed acknowledgement survived.
    struct Append: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append numbered test messages; print 'ACK <seq> <queueOffset> <physicalOffset> <size>' per acknowledged message.")

        @OptionGroup var options: StoreOptions

        @Option(help: "How many messages (0 = until killed).")
        var count = 1000

        @Option(help: "Body size in bytes.")
        var size = 128

        @Option(help: "Topic to append to.")
        var topic = "CrashTest"

        @Option(help: "Queues to spread messages over.")
        var queues = 4

        @Option(help: "Concurrent appenders.")
        var writers = 8

        func run() async throws {
            startupLog("mqstore append")
            let store = try MessageStore(config: try options.makeConfig(), logger: makeLogger("mqstore", level: .warning))
            Output.line("READY \(store.commitLogMaxOffset)")
            let total = count
            let size = self.size
            let topic = self.topic
            let queues = Int32(self.queues)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<writers {
                    group.addTask {
                        var seq = w
                        while total == 0 || seq < total {
                            var body = [UInt8](repeating: 0, count: size)
                            withUnsafeBytes(of: Int64(seq).bigEndian) { b in
                                for i in 0..<min(8, size) { body[i] = b[i] }
                            }
                            for i in 8..<max(8, size) { body[i] = UInt8(truncatingIfNeeded: seq &+ i) }
                            let fields = RecordFields(topic: topic, queueId: Int32(seq) % queues, bornTimestamp: 0,
                                                      properties: MessageProperties.encode([(PropertyKey.keys, "seq-\(seq)")]))
                            let r = await store.putMessage(fields, body: body)
                            guard r.status == .putOK else {
                                FileHandle.standardError.write(Data("FAIL \(seq) \(r.status.rawValue) \(r.remark ?? "")\n".utf8))
                                throw ExitCode(2)
                            }
                            Output.line("ACK \(seq) \(r.queueOffset) \(r.wroteOffset) \(r.wroteBytes)")
                            seq += writers
                        }
                    }
                }
                try await group.waitForAll()
            }
            store.shutdown()
            Output.line("DONE")
        }
    }
}

/// Line output that is written whole and flushed at once, from any thread.
enum Output {
    static func line(_ s: String) {
        let data = Array((s + "\n").utf8)
        data.withUnsafeBytes { p in
            var off = 0
            while off < p.count {
                let n = write(STDOUT_FILENO, p.baseAddress! + off, p.count - off)
                if n <= 0 { return }
                off += n
            }
        }
    }
}
