import Protocol

/// What a processor answers with.
public enum RemotingResponse: Sendable {
    /// A whole command (header and an in-memory body).
    case command(RemotingCommand)
    /// A header whose body is file bytes written with `sendfile`, region after
    /// region, without copying them into memory: the pull path's CommitLog
    /// records. `header.body` is ignored; the frame length covers the regions.
    case fileRegions(header: RemotingCommand, regions: [FileRegionSpec])
}

/// A byte range of an open file, to be sent as (part of) a response body.
///
/// The channel `dup()`s `fd` (once per distinct descriptor of a response), so
/// the caller keeps ownership of `fd`; `owner` is retained until the write has
/// completed or failed. Pass the object whose lifetime keeps `fd` open and the
/// file's data valid — for CommitLog records, the segment's `MappedFile`
/// (`SelectedRecord.file`): a segment deleted meanwhile is unlinked but its
/// descriptor stays open while that object lives.
public struct FileRegionSpec: Sendable {
    public var fd: Int32
    /// Byte offset in the file.
    public var offset: Int
    public var length: Int
    public var owner: (any AnyObject & Sendable)?

    public init(fd: Int32, offset: Int, length: Int, owner: (any AnyObject & Sendable)?) {
        self.fd = fd
        self.offset = offset
        self.length = length
        self.owner = owner
    }
}
