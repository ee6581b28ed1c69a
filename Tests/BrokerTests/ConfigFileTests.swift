import Broker
import Foundation
import Logging
import Protocol
import Synchronization
import TestSupport
import Testing

@Suite struct ConfigFileTests {
    /// Writers of one file share its temporary sibling: a periodic offset
    /// persist racing shutdown's final one failed its rename (ENOENT) and could
    /// land an older table last.
    @Test func concurrentPersistsAllSucceedAndTheNewestTableLands() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var logger = Logger(label: "test.config")
        logger.logLevel = .critical
        let configDir = dir.path + "/config"
        let offsets = try ConsumerOffsetManager(configDir: configDir, logger: logger)
        let topics = try TopicConfigManager(configDir: configDir, autoCreate: true, defaultQueueNums: 4, logger: logger)
        let failures = Mutex(0)
        let rounds = 20
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for i in 1...rounds {
                offsets.commit(group: "g", topic: "T", queueId: Int32(worker), offset: Int64(i))
                topics.update(TopicConfig(topicName: "T\(worker)", readQueueNums: Int32(i), writeQueueNums: Int32(i)))
                let ok = offsets.persist(force: true) && topics.persist()
                if !ok { failures.withLock { $0 += 1 } }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let offsetsAgain = try ConsumerOffsetManager(configDir: configDir, logger: logger)
        let topicsAgain = try TopicConfigManager(configDir: configDir, autoCreate: true, defaultQueueNums: 4, logger: logger)
        for worker in 0..<4 {
            #expect(offsetsAgain.query(group: "g", topic: "T", queueId: Int32(worker)) == Int64(rounds))
            #expect(topicsAgain.topic("T\(worker)")?.readQueueNums == Int32(rounds))
        }
        #expect(!FileManager.default.fileExists(atPath: configDir + "/consumerOffset.json.tmp"))
    }
}
