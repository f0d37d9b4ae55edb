import CHDF5

/// A 1-D array already cut into the chunks ``HDF5File/write(_:shape:to:compression:)``
/// would store, each shuffled and deflated (zlib `compress2`, as HDF5's
/// deflate filter does), so the costly part of writing can run on any
/// thread and a serial writer only hands finished chunks to HDF5
/// (``HDF5File/write(_:to:)``). The file's bytes are the same as through
/// HDF5's own filter pipeline.
public struct EncodedColumn: Sendable {
    let kind: HDF5ElementKind
    let elementSize: Int
    /// Elements in the array.
    public let count: Int
    let chunkElements: Int
    let compression: Int32
    /// Compressed chunks, in order (empty for an empty array).
    let chunks: [[UInt8]]
    /// False when zlib failed (reported by ``HDF5File/write(_:to:)``).
    let ok: Bool

    /// Encodes `values` with gzip level `compression` (1…9) after shuffling.
    public init<T: HDF5Element>(_ values: [T], compression: Int32 = HDF5File.defaultCompression) {
        precondition(compression > 0, "EncodedColumn writes deflated chunks; use HDF5File.write for level 0")
        let size = MemoryLayout<T>.stride
        kind = T.hdf5Kind
        elementSize = size
        count = values.count
        self.compression = compression
        chunkElements = Int(HDF5File.chunkShape(for: [values.count], elementSize: size)[0])
        var chunks: [[UInt8]] = []
        var ok = true
        let n = chunkElements
        var shuffled = [UInt8](repeating: 0, count: n * size)
        var compressed = [UInt8](repeating: 0, count: Int(compressBound(uLong(n * size))))
        values.withUnsafeBytes { raw in
            var start = 0
            while start < values.count {
                let m = min(n, values.count - start)
                let src = raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + start &* size
                shuffled.withUnsafeMutableBufferPointer { out in
                    // A partial last chunk is zero-padded to a whole chunk, as HDF5 stores it.
                    if m < n { out.update(repeating: 0) }
                    for j in 0..<size {
                        let plane = out.baseAddress! + j &* n
                        for i in 0..<m { plane[i] = src[i &* size &+ j] }
                    }
                }
                var length = uLong(compressed.count)
                let status = compressed.withUnsafeMutableBufferPointer { out in
                    shuffled.withUnsafeBufferPointer { compress2(out.baseAddress, &length, $0.baseAddress, uLong($0.count), compression) }
                }
                if status != Z_OK { ok = false }
                chunks.append(Array(compressed[..<Int(length)]))
                start += m
            }
        }
        self.chunks = chunks
        self.ok = ok
    }
}

extension HDF5File {
    /// Writes an encoded array as a new 1-D dataset at `path`: the same
    /// dataset (type, chunking, shuffle + gzip) and bytes as
    /// `write(values, to: path, compression:)` gives.
    public func write(_ column: EncodedColumn, to path: String) throws {
        let full = HDF5File.normalise(path)
        guard column.ok else {
            throw FeastIOError.library(file: name, object: full, operation: "compress", detail: "zlib compress2 failed")
        }
        let dataset = try createDataset(full, fileType: column.kind.fileType, elementSize: column.elementSize,
                                        shape: [column.count], compression: column.compression)
        defer { H5Dclose(dataset) }
        for (i, chunk) in column.chunks.enumerated() {
            var start = [hsize_t(i * column.chunkElements)]
            let status = chunk.withUnsafeBufferPointer {
                H5Dwrite_chunk(dataset, feast_h5p_default(), 0, &start, $0.count, $0.baseAddress)
            }
            guard status >= 0 else { throw failure("write chunk", object: full) }
        }
    }
}
