import CZlib
import Foundation

/// Just enough of a PNG decoder to judge a browser screenshot: 8-bit RGB or
/// RGBA, not interlaced (what Chromium writes). Pixels are unfiltered so colours
/// can be counted and looked up.
struct PNGImage {
    enum Failure: Error, CustomStringConvertible {
        case notPNG, unsupported(String), corrupt(String)
        var description: String {
            switch self {
            case .notPNG: "not a PNG file"
            case .unsupported(let s): "unsupported PNG: \(s)"
            case .corrupt(let s): "corrupt PNG: \(s)"
            }
        }
    }

    let width: Int
    let height: Int
    /// Bytes per pixel (3 or 4).
    let channels: Int
    /// Row-major pixels without the filter bytes.
    let pixels: [UInt8]

    init(data: [UInt8]) throws {
        guard data.count > 8, data[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw Failure.notPNG }
        func be32(_ i: Int) -> Int { Int(data[i]) << 24 | Int(data[i + 1]) << 16 | Int(data[i + 2]) << 8 | Int(data[i + 3]) }
        var i = 8, compressed: [UInt8] = []
        var header: (w: Int, h: Int, depth: UInt8, type: UInt8, interlace: UInt8)?
        while i + 8 <= data.count {
            let length = be32(i), type = String(decoding: data[i + 4..<i + 8], as: UTF8.self)
            let body = i + 8
            guard body + length + 4 <= data.count else { throw Failure.corrupt("chunk \(type) past the end") }
            switch type {
            case "IHDR": header = (be32(body), be32(body + 4), data[body + 8], data[body + 9], data[body + 12])
            case "IDAT": compressed += data[body..<body + length]
            default: break
            }
            if type == "IEND" { break }
            i = body + length + 4
        }
        guard let h = header else { throw Failure.corrupt("no IHDR") }
        guard h.depth == 8, h.type == 2 || h.type == 6, h.interlace == 0 else {
            throw Failure.unsupported("depth \(h.depth), colour type \(h.type), interlace \(h.interlace)")
        }
        width = h.w; height = h.h; channels = h.type == 2 ? 3 : 4
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        var rawLength = uLongf(raw.count)
        let rc = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { src in
                uncompress(out.baseAddress, &rawLength, src.baseAddress, uLong(src.count))
            }
        }
        guard rc == Z_OK, Int(rawLength) == raw.count else { throw Failure.corrupt("zlib status \(rc), \(rawLength) bytes") }
        pixels = try Self.unfilter(raw, height: height, stride: stride, bpp: channels)
    }

    /// Reverses the per-row filters (None, Sub, Up, Average, Paeth) of PNG §9.
    private static func unfilter(_ raw: [UInt8], height: Int, stride: Int, bpp: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: height * stride)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)], src = y * (stride + 1) + 1, row = y * stride
            for x in 0..<stride {
                let a = x >= bpp ? Int(out[row + x - bpp]) : 0
                let b = y > 0 ? Int(out[row - stride + x]) : 0
                let c = x >= bpp && y > 0 ? Int(out[row - stride + x - bpp]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: throw Failure.corrupt("filter \(filter) on row \(y)")
                }
                out[row + x] = UInt8(truncatingIfNeeded: Int(raw[src + x]) + predictor)
            }
        }
        return out
    }

    /// Each pixel's colour as 0xRRGGBB (alpha dropped).
    var colours: [UInt32] {
        stride(from: 0, to: pixels.count, by: channels).map {
            UInt32(pixels[$0]) << 16 | UInt32(pixels[$0 + 1]) << 8 | UInt32(pixels[$0 + 2])
        }
    }
}
