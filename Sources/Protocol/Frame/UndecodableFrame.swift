/// A complete frame whose content could not be turned into a command. The
/// frame boundaries were fine, so the byte stream is still in sync; what the
/// connection should do depends on what could be read:
///
/// - ``opaque`` known, and the frame was a request that is not one-way →
///   answer with ``errorResponse()`` (SYSTEM_ERROR, the reason in the remark,
///   in the frame's serialisation) and keep the connection;
/// - otherwise (unknown serialise type, header too short to hold an opaque,
///   unparseable JSON without a recognisable `"opaque"`, a damaged response) →
///   log ``error`` and close the connection: the peer is not speaking this protocol.
///
/// Framing errors (oversize or negative length) are not represented here: they
/// are thrown by the decoder as ``ProtocolError`` and always mean close.
public struct UndecodableFrame: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var error: ProtocolError
    /// The header's serialisation, when the type byte was valid.
    public var serializeType: SerializeType?
    /// The request id, when it could be read.
    public var opaque: Int32?
    /// The command code, when it could be read.
    public var code: Int32?
    /// The flag word, when it could be read.
    public var flag: Int32?

    public init(
        error: ProtocolError, serializeType: SerializeType? = nil, opaque: Int32? = nil, code: Int32? = nil,
        flag: Int32? = nil
    ) {
        self.error = error
        self.serializeType = serializeType
        self.opaque = opaque
        self.code = code
        self.flag = flag
    }

    /// True when a response can (and should) be sent: the opaque is known and the
    /// frame was a request that expects an answer.
    public var canRespond: Bool {
        guard opaque != nil else { return false }
        let f = flag ?? 0
        return f & RemotingCommand.Flag.response == 0 && f & RemotingCommand.Flag.oneway == 0
    }

    /// The SYSTEM_ERROR response to send, or nil when ``canRespond`` is false.
    public func errorResponse(language: LanguageCode = RemotingCommand.defaultLanguage) -> RemotingCommand? {
        guard canRespond, let opaque else { return nil }
        return RemotingCommand(
            code: ResponseCode.systemError.rawValue, language: language, opaque: opaque,
            flag: RemotingCommand.Flag.response, remark: "cannot decode request: \(error)",
            serializeType: serializeType ?? .json)
    }

    public var description: String {
        "undecodable frame (\(error))" + (opaque.map { ", opaque \($0)" } ?? ", opaque unknown")
    }
}
