import Config
import Foundation
import MessageFormat
import TestSupport
import Testing
@testable import Store

@Suite struct ConfigTests {
    @Test func readsRocketMQKeysAndReportsUnknownOnes() throws {
        let text = """
            # broker.conf
            brokerClusterName = DefaultCluster
            storePathRootDir=/data/rmq
            flushDiskType=SYNC_FLUSH
            mappedFileSizeCommitLog: 1073741824
            fileReservedTime=48
            deleteWhen=04;16
            diskMaxUsedSpaceRatio=80
            warmMapedFileEnable=true
            maxMessageSize=1048576
            """
        let (c, unknown) = try StoreConfig.load(try PropertiesFile(text: text, path: "broker.conf"))
        #expect(c.storePathRootDir == "/data/rmq" && c.flushDiskType == .syncFlush)
        #expect(c.fileReservedTime == 48 && c.deleteHours == [4, 16] && c.diskMaxUsedSpaceRatio == 80)
        #expect(c.warmMapedFileEnable && c.maxMessageSize == 1_048_576)
        #expect(unknown.map(\.key) == ["brokerClusterName"] && unknown.first?.line == 2)
        // Defaults are RocketMQ's.
        let d = StoreConfig()
        #expect(d.flushIntervalCommitLog == 500 && d.flushCommitLogLeastPages == 4 && d.flushCommitLogThoroughInterval == 10_000)
        #expect(d.syncFlushTimeout == 5000 && d.fileReservedTime == 72 && d.deleteWhen == "04" && d.diskMaxUsedSpaceRatio == 75)
        #expect(d.mappedFileSizeConsumeQueue == 6_000_000 && d.maxMessageSize == 4 * 1024 * 1024)
    }

    @Test(arguments: [
        ("flushDiskType=FAST_FLUSH", "flushDiskType"),
        ("fileReservedTime=abc", "fileReservedTime"),
        ("diskMaxUsedSpaceRatio=99", "diskMaxUsedSpaceRatio"),
        ("deleteWhen=25", "deleteWhen"),
        ("warmMapedFileEnable=yes", "warmMapedFileEnable"),
        ("mappedFileSizeCommitLog=1000", "mappedFileSizeCommitLog"),
        ("this line has no separator", "this line has no separator"),
    ])
    func rejectsInvalidValuesNamingKeyAndLine(line: String, key: String) {
        do {
            _ = try StoreConfig.load(try PropertiesFile(text: "# c\n\(line)\n", path: "b.conf"))
            Issue.record("accepted '\(line)'")
        } catch let StoreError.invalidConfig(k, reason) {
            #expect(k == key)
            #expect(reason.contains("b.conf:2"), "reason should name file and line: \(reason)")
        } catch let e as ConfigError {  // a line the properties parser itself refuses
            #expect(e.key == key)
            #expect(e.reason.contains("b.conf:2"), "reason should name file and line: \(e.reason)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

@Suite struct BadInputTests {
    @Test func illegalMessagesAreRefusedAndWriteNothing() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let c = smallConfig(dir.path)
        let s = try openStore(c)
        let tooBig = await s.putMessage(fields(), body: [UInt8](repeating: 1, count: c.maxMessageSize + 1))
        #expect(tooBig.status == .messageIllegal && tooBig.remark!.contains("maxMessageSize"))
        let longTopic = await s.putMessage(fields(String(repeating: "t", count: 128)), body: [1])
        #expect(longTopic.status == .messageIllegal)
        let badChars = await s.putMessage(fields("orders/paid"), body: [1])
        #expect(badChars.status == .messageIllegal && badChars.remark!.contains("illegal character"))
        var f = fields()
        f.properties = MessageProperties.encode([("big", String(repeating: "x", count: 33_000))])
        let bigProps = await s.putMessage(f, body: [1])
        #expect(bigProps.status == .propertiesSizeExceeded)
        let badBatch = await s.putMessages(fields(), items: [BatchItem(body: [1]), BatchItem(body: [UInt8](repeating: 0, count: c.maxMessageSize + 1))])
        #expect(badBatch.status == .messageIllegal)
        #expect(s.commitLogMaxOffset == 0, "refused messages must not write a byte")
        let good = await s.putMessage(fields(), body: [9])
        #expect(good.status == .putOK && good.wroteOffset == 0 && good.queueOffset == 0)
        s.shutdown()
    }
}
