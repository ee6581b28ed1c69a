import Foundation

/// The store's checkpoint page (RocketMQ `StoreCheckpoint`, extended): where
/// durable data ends, so a crashed store knows where verification must start,
/// and, after a clean stop, exactly where the log ends so no scan is needed.
///
/// ```
/// @0  physicMsgTimestamp i64   store time of the last flushed commitlog record
/// @8  logicsMsgTimestamp i64   … of the last flushed ConsumeQueue unit
/// @16 indexMsgTimestamp  i64   … of the last flushed index entry
/// @24 physicFlushedOffset i64  commitlog bytes known durable
/// @32 logicsFlushedOffset i64  commitlog offset through which ConsumeQueues are durable
/// @40 indexFlushedOffset  i64  commitlog offset through which the index is durable
/// @48 cleanShutdownOffset i64  end of the log at a clean stop; -1 while running
/// ```
final class Checkpoint: @unchecked Sendable {
    // @unchecked: fields are written by the flush services, each its own
    // field; 8-byte aligned stores are not torn on x86-64/arm64.
    static let size = 4096
    private let file: MappedFile

    init(path: String) throws {
        let exists = FileManager.default.fileExists(atPath: path)
        file = try MappedFile(path: path, fileFromOffset: 0, fileSize: Self.size, create: true)
        if !exists { cleanShutdownOffset = -1 }
    }

    private func get(_ at: Int) -> Int64 { file.address(at: 0).beInt64(at: at) }
    private func set(_ at: Int, _ v: Int64) { file.writableAddress(at: 0).storeBE(v, at: at) }

    var physicMsgTimestamp: Int64 { get { get(0) } set { set(0, newValue) } }
    var logicsMsgTimestamp: Int64 { get { get(8) } set { set(8, newValue) } }
    var indexMsgTimestamp: Int64 { get { get(16) } set { set(16, newValue) } }
    var physicFlushedOffset: Int64 { get { get(24) } set { set(24, newValue) } }
    var logicsFlushedOffset: Int64 { get { get(32) } set { set(32, newValue) } }
    var indexFlushedOffset: Int64 { get { get(40) } set { set(40, newValue) } }
    var cleanShutdownOffset: Int64 { get { get(48) } set { set(48, newValue) } }

    /// Where crash recovery must start verifying: everything before it was
    /// flushed in the log and in every derived structure.
    var safeOffset: Int64 { min(physicFlushedOffset, logicsFlushedOffset, indexFlushedOffset) }

    func flush() {
        msync(file.base, Self.size, MS_SYNC)
    }
}
