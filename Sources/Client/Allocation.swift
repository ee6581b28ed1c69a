import Protocol

/// RocketMQ's `AllocateMessageQueueAveragely`: with queues and consumer ids
/// both sorted, consumer `i` of `n` gets a contiguous block; the first
/// `queues % n` consumers get one queue more. A consumer not in the list gets none.
public enum AllocateMessageQueueAveragely {
    public static func allocate(queues: [MessageQueue], consumers: [String], me: String) -> [MessageQueue] {
        let all = queues.sorted()
        let cids = consumers.sorted()
        guard let index = cids.firstIndex(of: me), !all.isEmpty else { return [] }
        let mod = all.count % cids.count
        let average = all.count <= cids.count ? 1 : (mod > 0 && index < mod ? all.count / cids.count + 1 : all.count / cids.count)
        let start = mod > 0 && index < mod ? index * average : index * average + mod
        let range = min(average, all.count - start)
        guard range > 0 else { return [] }
        return Array(all[start..<start + range])
    }
}
