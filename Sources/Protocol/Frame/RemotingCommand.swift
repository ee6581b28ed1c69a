import NIOCore

/// One remoting command: a request or a response, as RocketMQ's
/// `RemotingCommand`. A plain value; encoding and decoding are in ``FrameCodec``.
public struct RemotingCommand: Sendable {
    /// The request code (``RequestCode``) of a request, or the response code
    /// (``ResponseCode``, 0 = success) of a response.
    public var code: Int32
    public var language: LanguageCode
    /// The sender's version ordinal (RocketMQ `MQVersion`).
    public var version: Int32
    /// The request id, echoed in the response.
    public var opaque: Int32
    /// Bit 0: response; bit 1: one-way request. See ``Flag``.
    public var flag: Int32
    /// Error text of a response; nil when none.
    public var remark: String?
    /// The flattened typed header.
    public var extFields: ExtFields
    /// The payload (message body, JSON body, records); nil when none.
    public var body: ByteBuffer?
    /// How the header is (or will be) serialised. A response uses its request's.
    public var serializeType: SerializeType

    /// The flag bits.
    public enum Flag {
        /// Set on responses (`RPC_TYPE`).
        public static let response: Int32 = 1 << 0
        /// Set on one-way requests (`RPC_ONEWAY`): no response is expected.
        public static let oneway: Int32 = 1 << 1
    }

    /// The version PeakMQ reports: RocketMQ's `MQVersion.Version.V4_9_7` ordinal.
    public static let defaultVersion: Int32 = 413
    /// The language PeakMQ reports. RocketMQ has no code for Swift; OTHER is honest.
    public static let defaultLanguage: LanguageCode = .other

    public init(
        code: Int32, language: LanguageCode = RemotingCommand.defaultLanguage,
        version: Int32 = RemotingCommand.defaultVersion, opaque: Int32 = 0, flag: Int32 = 0,
        remark: String? = nil, extFields: ExtFields = ExtFields(), body: ByteBuffer? = nil,
        serializeType: SerializeType = .json
    ) {
        self.code = code
        self.language = language
        self.version = version
        self.opaque = opaque
        self.flag = flag
        self.remark = remark
        self.extFields = extFields
        self.body = body
        self.serializeType = serializeType
    }

    /// A request with `code`, a typed header and an optional body.
    /// Inlinable, so that callers get it specialised for their header type.
    @inlinable
    public static func request(
        _ code: RequestCode, header: (some CommandHeader)? = EmptyHeader?.none, body: ByteBuffer? = nil,
        opaque: Int32, oneway: Bool = false, serializeType: SerializeType = .json
    ) -> RemotingCommand {
        RemotingCommand(
            code: code.rawValue, opaque: opaque, flag: oneway ? Flag.oneway : 0,
            extFields: header?.extFields ?? ExtFields(), body: body, serializeType: serializeType)
    }

    /// The response to this request: same opaque and serialisation, response bit set.
    public func response(
        _ code: ResponseCode, remark: String? = nil, extFields: ExtFields = ExtFields(), body: ByteBuffer? = nil,
        language: LanguageCode = RemotingCommand.defaultLanguage
    ) -> RemotingCommand {
        RemotingCommand(
            code: code.rawValue, language: language, version: RemotingCommand.defaultVersion, opaque: opaque,
            flag: Flag.response, remark: remark, extFields: extFields, body: body, serializeType: serializeType)
    }

    /// The response to this request with a typed header.
    @inlinable
    public func response(
        _ code: ResponseCode, header: some CommandHeader, remark: String? = nil, body: ByteBuffer? = nil
    ) -> RemotingCommand {
        response(code, remark: remark, extFields: header.extFields, body: body)
    }

    /// True for a response, false for a request.
    public var isResponse: Bool {
        get { flag & Flag.response != 0 }
        set { flag = newValue ? flag | Flag.response : flag & ~Flag.response }
    }

    /// True for a one-way request.
    public var isOneway: Bool {
        get { flag & Flag.oneway != 0 }
        set { flag = newValue ? flag | Flag.oneway : flag & ~Flag.oneway }
    }

    /// `code` read as a request code.
    public var requestCode: RequestCode { RequestCode(code) }
    /// `code` read as a response code.
    public var responseCode: ResponseCode { ResponseCode(code) }

    /// Decodes the typed header from `extFields`.
    public func decodeHeader<H: CommandHeader>(_: H.Type = H.self) throws(ProtocolError) -> H {
        try H(extFields: extFields)
    }
}

extension RemotingCommand: Equatable {
    public static func == (a: RemotingCommand, b: RemotingCommand) -> Bool {
        a.code == b.code && a.language == b.language && a.version == b.version && a.opaque == b.opaque
            && a.flag == b.flag && a.remark == b.remark && a.extFields == b.extFields
            && a.serializeType == b.serializeType && (a.body ?? ByteBuffer()) == (b.body ?? ByteBuffer())
    }
}

extension RemotingCommand: CustomStringConvertible {
    public var description: String {
        let kind = isResponse ? "response \(responseCode)" : "request \(requestCode)\(isOneway ? " oneway" : "")"
        return "RemotingCommand(\(kind), opaque: \(opaque), \(serializeType), language: \(language), "
            + "version: \(version), remark: \(remark ?? "nil"), extFields: \(extFields), "
            + "body: \(body?.readableBytes ?? 0) bytes)"
    }
}

/// A header with no fields (heartbeats, route queries without a header, …).
public struct EmptyHeader: CommandHeader, Equatable {
    public init() {}
    public init(extFields: ExtFields) {}
    public var extFields: ExtFields { ExtFields() }
}
