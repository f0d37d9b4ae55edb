import CLZ4
import CZstd

/// Decompresses one AEDAT 4 packet (a complete LZ4 or zstd frame) into a
/// reused buffer, refusing output beyond a cap so a corrupt or hostile
/// frame cannot ask for gigabytes. One context per reader, reused across
/// packets; not shared between threads.
final class PacketDecompressor {
    let compression: AEDAT4Compression
    let maximumBytes: Int
    private var lz4: OpaquePointer?
    private var zstd: OpaquePointer?

    /// Why decompression failed (the codec's own message).
    struct Failure: Error {
        let reason: String
    }

    init(compression: AEDAT4Compression, maximumBytes: Int) {
        self.compression = compression
        self.maximumBytes = maximumBytes
    }

    deinit {
        if let lz4 { LZ4F_freeDecompressionContext(lz4) }
        if let zstd { ZSTD_freeDCtx(zstd) }
    }

    /// Decompresses `source` into the start of `output`, which only grows
    /// (so packets after the first reuse it without clearing); returns the
    /// decompressed byte count. Not for ``AEDAT4Compression/none``.
    func decompress(_ source: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(Failure) -> Int {
        switch compression {
        case .none:
            preconditionFailure("uncompressed packets are read in place")
        case .lz4, .lz4High:
            return try decompressLZ4(source, into: &output)
        case .zstd, .zstdHigh:
            return try decompressZstd(source, into: &output)
        }
    }

    /// Doubles the output (from 64 KiB) up to the cap.
    private func grow(_ output: inout [UInt8]) throws(Failure) {
        guard output.count < maximumBytes else {
            throw Failure(reason: "the packet decompresses to more than \(maximumBytes) bytes")
        }
        output.append(contentsOf: repeatElement(0, count: min(max(output.count, 1 << 16), maximumBytes - output.count)))
    }

    private func decompressLZ4(_ source: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(Failure) -> Int {
        if lz4 == nil {
            var context: OpaquePointer?
            let code = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
            guard LZ4F_isError(code) == 0, let context else { throw Failure(reason: "cannot create an LZ4 context") }
            lz4 = context
        }
        LZ4F_resetDecompressionContext(lz4)
        var produced = 0, consumed = 0
        while true {
            if produced == output.count { try grow(&output) }
            var outSize = output.count - produced
            var inSize = source.count - consumed
            let hint = output.withUnsafeMutableBytes { out in
                LZ4F_decompress(lz4, out.baseAddress! + produced, &outSize, source.baseAddress.map { $0 + consumed }, &inSize, nil)
            }
            if LZ4F_isError(hint) != 0 {
                throw Failure(reason: "corrupt LZ4 frame: \(String(cString: LZ4F_getErrorName(hint)))")
            }
            produced += outSize
            consumed += inSize
            if hint == 0 { break }
            if consumed == source.count && outSize == 0 {
                throw Failure(reason: "the LZ4 frame is cut off (\(source.count) bytes; the frame wants more)")
            }
        }
        guard consumed == source.count else {
            throw Failure(reason: "\(source.count - consumed) bytes after the end of the LZ4 frame")
        }
        return produced
    }

    private func decompressZstd(_ source: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(Failure) -> Int {
        if zstd == nil {
            guard let context = ZSTD_createDCtx() else { throw Failure(reason: "cannot create a zstd context") }
            zstd = context
        }
        ZSTD_DCtx_reset(zstd, ZSTD_reset_session_only)
        var input = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: 0)
        var produced = 0
        while true {
            if produced == output.count { try grow(&output) }
            let before = input.pos
            let (code, written) = output.withUnsafeMutableBytes { out -> (Int, Int) in
                var target = ZSTD_outBuffer(dst: out.baseAddress! + produced, size: out.count - produced, pos: 0)
                let code = ZSTD_decompressStream(zstd, &target, &input)
                return (code, target.pos)
            }
            if ZSTD_isError(code) != 0 {
                throw Failure(reason: "corrupt zstd frame: \(String(cString: ZSTD_getErrorName(code)))")
            }
            produced += written
            if code == 0 { break }
            if input.pos == source.count && input.pos == before && written == 0 {
                throw Failure(reason: "the zstd frame is cut off (\(source.count) bytes; the frame wants more)")
            }
        }
        guard input.pos == source.count else {
            throw Failure(reason: "\(source.count - input.pos) bytes after the end of the zstd frame")
        }
        return produced
    }
}
