import CHDF5
import Dispatch

/// The write-side twin of ``DirectChunkColumn``: shuffles and deflates
/// whole chunks outside HDF5 (several columns in parallel) and stores them
/// with `H5Dwrite_chunk`, producing exactly what HDF5's shuffle + deflate
/// pipeline would (any HDF5 reader, h5py included, decodes them).
final class ChunkEncoder {
    let dataset: HDF5Dataset
    let elementSize: Int
    let chunkElements: Int
    let level: Int32
    /// Chunk bytes padded to a whole chunk, then shuffled.
    private var shuffled: [UInt8]
    private var compressed: [UInt8]
    private var compressedCount = 0
    private var failed = false

    init(dataset: HDF5Dataset, elementSize: Int, chunkElements: Int, level: Int32) {
        self.dataset = dataset
        self.elementSize = elementSize
        self.chunkElements = chunkElements
        self.level = level
        shuffled = [UInt8](repeating: 0, count: chunkElements * elementSize)
        compressed = [UInt8](repeating: 0, count: Int(compressBound(uLong(chunkElements * elementSize))))
    }

    /// Shuffles and compresses `count` elements at `source` (≤ one chunk;
    /// the rest of the chunk is zero padding, as HDF5 stores it).
    /// Thread-safe across encoders: touches only this encoder's buffers.
    func encode(_ source: UnsafeRawPointer, count: Int) {
        let n = chunkElements, size = elementSize
        let src = source.assumingMemoryBound(to: UInt8.self)
        shuffled.withUnsafeMutableBufferPointer { out in
            if count < n { out.update(repeating: 0) }
            if size == 1 {
                UnsafeMutableRawPointer(out.baseAddress!).copyMemory(from: source, byteCount: count)
            } else {
                for j in 0..<size {
                    let plane = out.baseAddress! + j &* n
                    for i in 0..<count { plane[i] = src[i &* size &+ j] }
                }
            }
        }
        var destinationLength = uLong(compressed.count)
        let status = compressed.withUnsafeMutableBufferPointer { out in
            shuffled.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &destinationLength, input.baseAddress, uLong(input.count), level)
            }
        }
        failed = status != Z_OK
        compressedCount = Int(destinationLength)
    }

    /// Stores the encoded chunk at element `offset` (chunk-aligned, inside
    /// the dataset's extent). Serial: calls HDF5.
    func store(at offset: Int) throws {
        guard !failed else {
            throw FeastIOError.library(file: dataset.file.name, object: dataset.path, operation: "compress", detail: "zlib compress2 failed")
        }
        var start = [hsize_t(offset)]
        let status = compressed.withUnsafeBufferPointer {
            H5Dwrite_chunk(dataset.id, feast_h5p_default(), 0, &start, compressedCount, $0.baseAddress)
        }
        guard status >= 0 else { throw dataset.file.failure("write chunk", object: dataset.path) }
    }

    /// Encodes each (encoder, source, count) job, in parallel when there is
    /// enough work to pay for the hand-off.
    static func encodeAll(_ jobs: [(ChunkEncoder, UnsafeRawPointer, Int)]) {
        let bytes = jobs.reduce(0) { $0 + $1.2 * $1.0.elementSize }
        if jobs.count == 1 || bytes < 262_144 {
            for (encoder, source, count) in jobs { encoder.encode(source, count: count) }
            return
        }
        let work = jobs.map { Job(encoder: $0.0, source: $0.1, count: $0.2) }
        DispatchQueue.concurrentPerform(iterations: work.count) { i in
            work[i].encoder.encode(work[i].source, count: work[i].count)
        }
    }

    /// Unchecked: each job has its own encoder and reads its own source
    /// buffer, which the caller keeps alive and unchanged until all finish.
    private struct Job: @unchecked Sendable {
        let encoder: ChunkEncoder
        let source: UnsafeRawPointer
        let count: Int
    }
}
