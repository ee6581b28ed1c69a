import Foundation
import NIOCore

/// The file regions of one response, ready to write: each distinct descriptor
/// `dup()`ed once (`NIOFileHandle` owns and closes what it is given, and the
/// caller keeps its own descriptor), and the owners retained until the write
/// has completed.
struct PreparedFileRegions: Sendable {
    private let handles: [NIOFileHandle]
    /// (index into handles, offset, length) per non-empty region, in order.
    private let parts: [(handle: Int, offset: Int, length: Int)]
    /// Keep the files (e.g. CommitLog segments) alive while `sendfile` reads them.
    private let owners: [any AnyObject & Sendable]
    let totalLength: Int

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(_ regions: [FileRegionSpec]) throws {
        var fds: [Int32] = []
        var handles: [NIOFileHandle] = []
        var parts: [(handle: Int, offset: Int, length: Int)] = []
        var owners: [any AnyObject & Sendable] = []
        var total = 0
        do {
            for r in regions {
                guard r.offset >= 0, r.length >= 0 else {
                    throw Failure(description: "invalid region offset \(r.offset) length \(r.length)")
                }
                let (sum, overflow) = total.addingReportingOverflow(r.length)
                guard !overflow, sum <= Int(Int32.max) else { throw Failure(description: "regions too large") }
                total = sum
                if let o = r.owner, !owners.contains(where: { $0 === o }) { owners.append(o) }
                guard r.length > 0 else { continue }
                let index: Int
                if let i = fds.firstIndex(of: r.fd) {
                    index = i
                } else {
                    let copy = dup(r.fd)
                    guard copy >= 0 else {
                        throw Failure(description: "dup(\(r.fd)) failed: \(String(cString: strerror(errno)))")
                    }
                    fds.append(r.fd)
                    handles.append(NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: copy))
                    index = handles.count - 1
                }
                parts.append((index, r.offset, r.length))
            }
        } catch {
            for h in handles { try? h.close() }
            throw error
        }
        self.handles = handles
        self.parts = parts
        self.owners = owners
        self.totalLength = total
    }

    /// Writes the regions in order; `completion` completes with the last write
    /// (writes complete in order, and on failure all later ones fail too).
    func write(to context: ChannelHandlerContext, handler: RemotingChannelHandler, completion: EventLoopPromise<Void>) {
        if parts.isEmpty {
            completion.succeed()
            return
        }
        for (i, p) in parts.enumerated() {
            let region = FileRegion(fileHandle: handles[p.handle], readerIndex: p.offset, endIndex: p.offset + p.length)
            context.write(handler.wrapOutboundOut(.fileRegion(region)), promise: i == parts.count - 1 ? completion : nil)
        }
    }

    /// Closes the duplicated descriptors and lets the owners go.
    func release() {
        for h in handles { try? h.close() }
        withExtendedLifetime(owners) {}
    }
}
