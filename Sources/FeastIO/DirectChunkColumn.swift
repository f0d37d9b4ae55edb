import CHDF5
import Dispatch

/// Fast reading of a chunked 1-D dataset whose filters FeastIO can undo
/// itself (shuffle and/or deflate, nothing else) and whose stored type is
/// exactly the native type: chunks are fetched raw with `H5Dread_chunk`
/// (serial: HDF5 holds one global lock) and inflated + unshuffled outside
/// HDF5, so several chunks (of several columns) can be decoded in parallel
/// and no buffer is allocated per chunk. HDF5's own pipeline remains the
/// path for every other layout.
final class DirectChunkColumn {
    let dataset: HDF5Dataset
    let elementSize: Int
    /// Elements per chunk.
    let chunkElements: Int
    /// Elements in the dataset.
    let count: Int
    private let shuffleFilter: Int?
    private let deflateFilter: Int?
    /// The file's size: no stored chunk can be larger.
    private let fileBytes: hsize_t

    /// A chunk being decoded: its raw bytes and where it decodes to.
    final class Slot {
        var index = -1
        var raw: [UInt8] = []
        var rawCount = 0
        var mask: UInt32 = 0
        var decoded: [UInt8]
        /// Inflated but still shuffled bytes (allocated on first use).
        var scratch: [UInt8] = []
        var failed = false
        /// This slot's libdeflate decompressor (not shareable across threads).
        let decompressor: OpaquePointer?
        init(bytes: Int) {
            decoded = [UInt8](repeating: 0, count: bytes)
            decompressor = LibDeflate.shared.flatMap { $0.alloc() }
        }
        deinit { if let decompressor { LibDeflate.shared?.free(decompressor) } }

        /// Inflates an HDF5 deflate chunk (a zlib stream) into `output`.
        func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
            if let decompressor, let library = LibDeflate.shared {
                guard input.count > 6, input[0] & 0x0f == 8, input[1] & 0x20 == 0 else { return -1 }
                // Skip the 2-byte zlib header and the 4-byte Adler-32 trailer.
                return library.inflate(decompressor, UnsafeRawBufferPointer(rebasing: input[2..<(input.count - 4)]), into: output)
            }
            return DirectChunkColumn.inflate(input, into: output)
        }
    }
    private var slots: [Slot] = []
    private var inUse = 0

    /// nil when the dataset is not eligible (contiguous, other filters,
    /// another byte order or type).
    init?(dataset: HDF5Dataset, kind: HDF5ElementKind) {
        guard dataset.stores(exactly: kind), dataset.shape.count == 1 else { return nil }
        HDF5Library.prepareThread()
        let dcpl = H5Dget_create_plist(dataset.id)
        guard dcpl >= 0 else { _ = HDF5Library.takeErrorStack(); return nil }
        defer { H5Pclose(dcpl) }
        guard H5Pget_layout(dcpl) == H5D_CHUNKED else { return nil }
        var chunk: hsize_t = 0
        // A chunk of more than 2^24 elements is left to HDF5's own pipeline
        // rather than given a decode buffer of up to 128 MB per slot.
        guard H5Pget_chunk(dcpl, 1, &chunk) == 1, chunk > 0, chunk <= 1 << 24 else { return nil }
        var fileBytes: hsize_t = 0
        guard H5Fget_filesize(dataset.file.id, &fileBytes) >= 0 else { _ = HDF5Library.takeErrorStack(); return nil }
        var shuffle: Int?, deflate: Int?
        let filters = Int(H5Pget_nfilters(dcpl))
        for i in 0..<filters {
            var flags: UInt32 = 0
            var values = [UInt32](repeating: 0, count: 8)
            var valueCount = values.count
            var config: UInt32 = 0
            let id = H5Pget_filter2(dcpl, UInt32(i), &flags, &valueCount, &values, 0, nil, &config)
            switch id {
            case H5Z_filter_t(H5Z_FILTER_SHUFFLE) where deflate == nil && shuffle == nil: shuffle = i
            case H5Z_filter_t(H5Z_FILTER_DEFLATE) where deflate == nil: deflate = i
            default: return nil
            }
        }
        self.dataset = dataset
        self.elementSize = kind.byteSize
        self.chunkElements = Int(chunk)
        self.count = dataset.count
        self.shuffleFilter = shuffle
        self.deflateFilter = deflate
        self.fileBytes = fileBytes
    }

    private func slot(for index: Int) -> Slot {
        if let cached = slots.first(where: { $0.index == index }) { return cached }
        let free = slots.first { $0.index < 0 } ?? {
            let s = Slot(bytes: chunkElements * elementSize)
            slots.append(s)
            return s
        }()
        free.index = index
        return free
    }

    /// Fetches the raw bytes of the chunks covering `range` that are not
    /// decoded yet (serial: calls HDF5) and returns the slots to decode.
    func fetch(_ range: Range<Int>) throws -> [Slot] {
        guard !range.isEmpty else { return [] }
        let needed = Set((range.lowerBound / chunkElements)...((range.upperBound - 1) / chunkElements))
        // Forget chunks no longer needed, keeping their buffers.
        for s in slots where s.index >= 0 && !needed.contains(s.index) { s.index = -1 }
        var fresh: [Slot] = []
        for index in needed.sorted() {
            if slots.contains(where: { $0.index == index }) { continue }
            let s = slot(for: index)
            var offset = [hsize_t(index * chunkElements)]
            var size: hsize_t = 0
            guard H5Dget_chunk_storage_size(dataset.id, &offset, &size) >= 0 else {
                s.index = -1
                throw dataset.file.failure("read chunk", object: dataset.path)
            }
            if size == 0 {
                // Never written: HDF5 would return the fill value (zero).
                s.rawCount = -1
            } else if size > fileBytes {
                // A corrupt chunk index: allocating what it claims (GBs) first
                // would exhaust memory before HDF5 reports the bad address.
                s.index = -1
                throw FeastIOError.invalidValue(file: dataset.file.name, object: dataset.path, index: index * chunkElements,
                                                expected: "a stored chunk within the file's \(fileBytes) bytes",
                                                found: "the chunk there claims \(size) bytes")
            } else {
                if s.raw.count < Int(size) { s.raw = [UInt8](repeating: 0, count: Int(size)) }
                var mask: UInt32 = 0
                let status = s.raw.withUnsafeMutableBytes { H5Dread_chunk(dataset.id, feast_h5p_default(), &offset, &mask, $0.baseAddress) }
                guard status >= 0 else {
                    s.index = -1
                    throw dataset.file.failure("read chunk", object: dataset.path)
                }
                s.rawCount = Int(size)
                s.mask = mask
            }
            fresh.append(s)
        }
        return fresh
    }

    /// Inflates and unshuffles one fetched chunk. Thread-safe across slots:
    /// touches only the slot's buffers and a private zlib stream.
    func decode(_ s: Slot) {
        let bytes = chunkElements * elementSize
        s.failed = false
        if s.rawCount < 0 {
            s.decoded.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) }
            return
        }
        let deflated = deflateFilter.map { s.mask & (1 << UInt32($0)) == 0 } ?? false
        let shuffled = (shuffleFilter.map { s.mask & (1 << UInt32($0)) == 0 } ?? false) && elementSize > 1
        s.raw.withUnsafeBytes { raw in
            s.decoded.withUnsafeMutableBytes { out in
                if !deflated {
                    guard s.rawCount == bytes else { s.failed = true; return }
                    if shuffled {
                        DirectChunkColumn.unshuffle(UnsafeRawBufferPointer(rebasing: raw[0..<bytes]), into: out, elementSize: elementSize)
                    } else {
                        out.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<bytes]))
                    }
                    return
                }
                if shuffled {
                    // Inflate into scratch, then unshuffle into place.
                    if s.scratch.count != bytes { s.scratch = [UInt8](repeating: 0, count: bytes) }
                    let ok = s.scratch.withUnsafeMutableBytes { scratch in
                        guard s.inflate(UnsafeRawBufferPointer(rebasing: raw[0..<s.rawCount]), into: scratch) == bytes else {
                            return false
                        }
                        DirectChunkColumn.unshuffle(UnsafeRawBufferPointer(scratch), into: out, elementSize: elementSize)
                        return true
                    }
                    if !ok { s.failed = true }
                } else {
                    guard s.inflate(UnsafeRawBufferPointer(rebasing: raw[0..<s.rawCount]), into: out) == bytes else {
                        s.failed = true
                        return
                    }
                }
            }
        }
    }

    /// Copies elements `range` (already fetched and decoded) to `destination`.
    func copy(_ range: Range<Int>, into destination: UnsafeMutableRawPointer) throws {
        var element = range.lowerBound
        while element < range.upperBound {
            let index = element / chunkElements
            guard let s = slots.first(where: { $0.index == index }), !s.failed else {
                throw FeastIOError.invalidValue(file: dataset.file.name, object: dataset.path, index: index * chunkElements,
                                                expected: "a chunk that inflates to \(chunkElements * elementSize) bytes",
                                                found: "a corrupt compressed chunk")
            }
            let within = element - index * chunkElements
            let n = min(range.upperBound - element, chunkElements - within)
            s.decoded.withUnsafeBytes { decoded in
                (destination + (element - range.lowerBound) * elementSize)
                    .copyMemory(from: decoded.baseAddress! + within * elementSize, byteCount: n * elementSize)
            }
            element += n
        }
    }

    /// Raw inflate of an HDF5 deflate chunk (a zlib stream: the 2-byte
    /// header is skipped and the Adler-32 trailer not checked, which zlib's
    /// raw mode makes ~5 % cheaper). Returns the bytes produced, or -1.
    static func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        guard input.count > 2, input[0] & 0x0f == 8, input[1] & 0x20 == 0 else { return -1 }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        defer { stream.deallocate() }
        stream.initialize(to: z_stream())
        guard feast_inflate_init_raw(stream) == Z_OK else { return -1 }
        defer { inflateEnd(stream) }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: UInt8.self) + 2)
        stream.pointee.avail_in = UInt32(input.count - 2)
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = UInt32(output.count)
        let status = CHDF5.inflate(stream, Z_FINISH)
        guard status == Z_STREAM_END else { return -1 }
        return Int(stream.pointee.total_out)
    }

    /// Undoes HDF5's shuffle: byte `j` of element `i` is at `j * n + i`.
    static func unshuffle(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, elementSize: Int) {
        let n = input.count / elementSize
        let src = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let dst = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        switch elementSize {
        case 2:
            let out = UnsafeMutableRawPointer(dst).assumingMemoryBound(to: UInt16.self)
            for i in 0..<n { out[i] = UInt16(src[i]) | UInt16(src[n &+ i]) << 8 }
        case 8:
            let out = UnsafeMutableRawPointer(dst).assumingMemoryBound(to: UInt64.self)
            for i in 0..<n {
                var v = UInt64(src[i])
                v |= UInt64(src[n &+ i]) << 8
                v |= UInt64(src[2 &* n &+ i]) << 16
                v |= UInt64(src[3 &* n &+ i]) << 24
                v |= UInt64(src[4 &* n &+ i]) << 32
                v |= UInt64(src[5 &* n &+ i]) << 40
                v |= UInt64(src[6 &* n &+ i]) << 48
                v |= UInt64(src[7 &* n &+ i]) << 56
                out[i] = v
            }
        default:
            for j in 0..<elementSize {
                for i in 0..<n { dst[i &* elementSize &+ j] = src[j &* n &+ i] }
            }
        }
    }

    /// Decodes `slots` (of any columns), in parallel when there are several.
    static func decodeAll(_ work: [(DirectChunkColumn, Slot)]) {
        // Handing work to other threads costs tens of µs: only worth it for
        // more than ~256 KiB of output (a few thousand events).
        let bytes = work.reduce(0) { $0 + $1.0.chunkElements * $1.0.elementSize }
        if work.count == 1 || bytes < 262_144 {
            for (column, slot) in work { column.decode(slot) }
            return
        }
        let jobs = work.map { DecodeJob(column: $0.0, slot: $0.1) }
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            jobs[i].column.decode(jobs[i].slot)
        }
    }

    /// One chunk to decode. Unchecked: a job touches only its own slot and
    /// the column's immutable fields, slots are distinct, and the caller
    /// waits for every job before touching them again.
    private struct DecodeJob: @unchecked Sendable {
        let column: DirectChunkColumn
        let slot: Slot
    }
}

extension HDF5ElementKind {
    /// Bytes per element.
    var byteSize: Int {
        switch self {
        case .uint8, .int8: return 1
        case .uint16: return 2
        case .int32, .float32: return 4
        case .int64, .float64: return 8
        }
    }
}
