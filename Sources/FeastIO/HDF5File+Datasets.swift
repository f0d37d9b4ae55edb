import CHDF5
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A numeric array read from a dataset: values in row-major order and the
/// extent of each dimension.
public struct HDF5Array<Element: HDF5Element>: Sendable {
    public var values: [Element]
    public var shape: [Int]
}

extension HDF5File {
    /// Default gzip level: 4 compresses event data nearly as well as 9 at
    /// a fraction of the time; decompression speed does not depend on it.
    public static let defaultCompression: Int32 = 4

    /// Chunk extents of about 256 KiB, shrinking the leading dimensions
    /// first so rows stay whole where they fit.
    static func chunkShape(for shape: [Int], elementSize: Int) -> [hsize_t] {
        let target = max(1, 262_144 / max(1, elementSize))
        var chunk = shape.map { max(1, $0) }
        for i in chunk.indices {
            let rest = chunk[(i + 1)...].reduce(1, *)
            chunk[i] = max(1, min(chunk[i], target / max(1, rest)))
        }
        return chunk.map { hsize_t($0) }
    }

    /// Creates a dataset of `fileType` with `shape`; chunked with shuffle +
    /// gzip unless it is empty and fixed-size (HDF5 cannot chunk an empty
    /// fixed extent). `maxShape` nil means fixed; -1 entries are unlimited.
    func createDataset(_ full: String, fileType: hid_t, elementSize: Int, shape: [Int], maxShape: [Int]? = nil,
                       chunk: [Int]? = nil, compression: Int32, shuffle: Bool = true, contiguous: Bool = false) throws -> hid_t {
        try ensureWritable(full)
        if exists(full) {
            throw FeastIOError.invalidArgument(file: name, object: full, reason: "already exists")
        }
        var dims = shape.map { hsize_t($0) }
        var maxDims = (maxShape ?? shape).map { $0 < 0 ? feast_h5s_unlimited() : hsize_t($0) }
        let space = H5Screate_simple(Int32(dims.count), &dims, &maxDims)
        guard space >= 0 else { throw failure("create dataspace", object: full) }
        defer { H5Sclose(space) }
        let dcpl = H5Pcreate(feast_h5p_dataset_create())
        defer { H5Pclose(dcpl) }
        // No creation/modification times: the same content gives the same bytes.
        H5Pset_obj_track_times(dcpl, false)
        let chunked = maxShape != nil || (!shape.contains(0) && !contiguous)
        if chunked {
            var chunkDims = chunk.map { $0.map { hsize_t(max(1, $0)) } } ?? HDF5File.chunkShape(for: shape, elementSize: elementSize)
            H5Pset_chunk(dcpl, Int32(chunkDims.count), &chunkDims)
            if compression > 0 {
                if shuffle { H5Pset_shuffle(dcpl) }
                H5Pset_deflate(dcpl, UInt32(compression))
            }
        }
        let dataset = withIntermediateGroups { H5Dcreate2(id, full, fileType, space, $0, dcpl, feast_h5p_default()) }
        guard dataset >= 0 else { throw failure("create dataset", object: full) }
        return dataset
    }

    /// Opens the dataset at `path`, or throws `.missing` (naming
    /// `expected`) / `.wrongType` when a group is there.
    /// `cacheBytes` sizes HDF5's chunk cache for this dataset (default
    /// 1 MiB); streaming readers raise it so a chunk of a file written with
    /// other chunk sizes is decompressed once, not once per slab.
    public func dataset(_ path: String, expected: String = "a dataset", cacheBytes: Int? = nil) throws -> HDF5Dataset {
        HDF5CrashGuard.noteReading(name)
        let full = HDF5File.normalise(path)
        try ensureOpen(full)
        let access = H5Pcreate(feast_h5p_dataset_access())
        defer { H5Pclose(access) }
        if let cacheBytes {
            // 1009 slots (a prime, as HDF5 advises); w0 = 1 evicts fully read chunks first.
            H5Pset_chunk_cache(access, 1009, cacheBytes, 1.0)
        }
        // Open first, diagnose only on failure: the common case costs one call.
        let dataset = H5Dopen2(id, full, access)
        guard dataset >= 0 else {
            let detail = HDF5Library.takeErrorStack()
            guard let kind = objectKind(full) else {
                throw FeastIOError.missing(file: name, object: full, expected: expected)
            }
            guard kind == .dataset else {
                throw FeastIOError.wrongType(file: name, object: full, expected: expected, found: "a \(kind)")
            }
            throw FeastIOError.library(file: name, object: full, operation: "open dataset", detail: detail)
        }
        return HDF5Dataset(file: self, path: full, id: dataset)
    }

    // MARK: - Numeric datasets

    /// Writes `values` (row-major) as a new dataset of extent `shape`
    /// (default: 1-D), chunked with shuffle + gzip.
    public func write<T: HDF5Element>(_ values: [T], shape: [Int]? = nil, to path: String,
                                      compression: Int32 = HDF5File.defaultCompression) throws {
        try write(values, shape: shape, to: path, compression: compression, contiguous: false)
    }

    /// `contiguous: true` stores the dataset unchunked and unfiltered
    /// (tests of readers' handling of other layouts).
    func write<T: HDF5Element>(_ values: [T], shape: [Int]?, to path: String, compression: Int32, contiguous: Bool) throws {
        let full = HDF5File.normalise(path)
        let shape = shape ?? [values.count]
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw FeastIOError.invalidArgument(file: name, object: full,
                                               reason: "\(values.count) values do not fill shape \(shape)")
        }
        let dataset = try createDataset(full, fileType: T.hdf5Kind.fileType, elementSize: MemoryLayout<T>.stride,
                                        shape: shape, compression: compression, contiguous: contiguous)
        defer { H5Dclose(dataset) }
        if values.isEmpty { return }
        let status = values.withUnsafeBufferPointer {
            H5Dwrite(dataset, T.hdf5Kind.nativeType, feast_h5s_all(), feast_h5s_all(), feast_h5p_default(), $0.baseAddress)
        }
        guard status >= 0 else { throw failure("write", object: full) }
    }

    /// Writes a `rows × columns` matrix given row-major.
    public func write<T: HDF5Element>(_ values: [T], rows: Int, columns: Int, to path: String,
                                      compression: Int32 = HDF5File.defaultCompression) throws {
        try write(values, shape: [rows, columns], to: path, compression: compression)
    }

    /// Reads a whole numeric dataset of any rank as `T`.
    public func read<T: HDF5Element>(_ type: T.Type, from path: String) throws -> HDF5Array<T> {
        let dataset = try self.dataset(path, expected: "a dataset of \(T.hdf5Kind.expectedClass)")
        defer { dataset.close() }
        try dataset.checkReadable(as: T.self)
        return HDF5Array(values: try dataset.readAll(T.self), shape: dataset.shape)
    }

    /// Reads a 1-D dataset as `T`.
    public func read1D<T: HDF5Element>(_ type: T.Type, from path: String) throws -> [T] {
        let dataset = try self.dataset(path, expected: "a 1-D dataset of \(T.hdf5Kind.expectedClass)")
        defer { dataset.close() }
        try dataset.checkReadable(as: T.self)
        try dataset.checkRank(1)
        return try dataset.readAll(T.self)
    }

    /// Reads a 2-D dataset as `T`: row-major values with its extent.
    public func read2D<T: HDF5Element>(_ type: T.Type, from path: String) throws -> (values: [T], rows: Int, columns: Int) {
        let dataset = try self.dataset(path, expected: "a 2-D dataset of \(T.hdf5Kind.expectedClass)")
        defer { dataset.close() }
        try dataset.checkReadable(as: T.self)
        let shape = try dataset.checkRank(2)
        return (try dataset.readAll(T.self), shape[0], shape[1])
    }

    /// Creates an empty extendible (unlimited) 1-D dataset for appending,
    /// chunked by `chunk` elements with shuffle + gzip.
    public func createExtendible<T: HDF5Element>(_ type: T.Type, at path: String, chunk: Int = 65_536,
                                                 compression: Int32 = HDF5File.defaultCompression) throws -> HDF5Dataset {
        let full = HDF5File.normalise(path)
        let dataset = try createDataset(full, fileType: T.hdf5Kind.fileType, elementSize: MemoryLayout<T>.stride,
                                        shape: [0], maxShape: [-1], chunk: [max(1, chunk)], compression: compression)
        return HDF5Dataset(file: self, path: full, id: dataset)
    }

    // MARK: - Strings

    /// A variable-length UTF-8 string type (caller closes it).
    static func variableStringType() -> hid_t {
        let type = H5Tcopy(feast_h5t_c_s1())
        H5Tset_size(type, feast_h5t_variable())
        H5Tset_cset(type, H5T_CSET_UTF8)
        return type
    }

    /// Writes a 1-D dataset of variable-length UTF-8 strings (h5py reads it
    /// as `str` objects).
    public func write(strings: [String], to path: String, compression: Int32 = HDF5File.defaultCompression) throws {
        let full = HDF5File.normalise(path)
        let type = HDF5File.variableStringType()
        defer { H5Tclose(type) }
        let dataset = try createDataset(full, fileType: type, elementSize: MemoryLayout<UnsafePointer<CChar>>.stride,
                                        shape: [strings.count], compression: compression)
        defer { H5Dclose(dataset) }
        if strings.isEmpty { return }
        var pointers = strings.map { UnsafePointer(strdup($0)) }
        defer { for p in pointers { free(UnsafeMutableRawPointer(mutating: p)) } }
        guard H5Dwrite(dataset, type, feast_h5s_all(), feast_h5s_all(), feast_h5p_default(), &pointers) >= 0 else {
            throw failure("write", object: full)
        }
    }

    /// Reads a 1-D dataset of strings, variable- or fixed-length (fixed
    /// ones lose their NUL or space padding).
    public func readStrings(from path: String) throws -> [String] {
        let dataset = try self.dataset(path, expected: "a 1-D dataset of strings")
        defer { dataset.close() }
        guard H5Tget_class(dataset.storedType) == H5T_STRING else {
            throw FeastIOError.wrongType(file: name, object: dataset.path, expected: "strings", found: dataset.typeName)
        }
        let count = try dataset.checkRank(1)[0]
        if count == 0 { return [] }
        return try readStrings(object: dataset.path, storedType: dataset.storedType, count: count) { memoryType, buffer in
            H5Dread(dataset.id, memoryType, feast_h5s_all(), feast_h5s_all(), feast_h5p_default(), buffer)
        }
    }

    /// Shared by datasets and attributes: reads `count` strings of
    /// `storedType` with `read(memoryType, buffer)`.
    func readStrings(object: String, storedType: hid_t, count: Int,
                     read: (hid_t, UnsafeMutableRawPointer) -> herr_t) throws -> [String] {
        if H5Tis_variable_str(storedType) > 0 {
            let type = HDF5File.variableStringType()
            defer { H5Tclose(type) }
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            let status = HDF5HangGuard.guarding(file: name, object: object) {
                pointers.withUnsafeMutableBytes { read(type, $0.baseAddress!) }
            }
            guard status >= 0 else {
                throw failure("read", object: object)
            }
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            // HDF5 allocated the strings with the C allocator (default vlen
            // memory manager), so free(3) is the matching release.
            for p in pointers { free(p) }
            return strings
        }
        let size = H5Tget_size(storedType)
        let type = H5Tcopy(feast_h5t_c_s1())
        defer { H5Tclose(type) }
        H5Tset_size(type, size)
        H5Tset_strpad(type, H5T_STR_NULLPAD)
        var bytes = [UInt8](repeating: 0, count: size * count)
        guard bytes.withUnsafeMutableBytes({ read(type, $0.baseAddress!) }) >= 0 else {
            throw failure("read", object: object)
        }
        let spacePadded = H5Tget_strpad(storedType) == H5T_STR_SPACEPAD
        return (0..<count).map { i in
            var field = bytes[(i * size)..<((i + 1) * size)]
            if let nul = field.firstIndex(of: 0) { field = field[..<nul] }
            if spacePadded { while field.last == 0x20 { field = field.dropLast() } }
            return String(decoding: field, as: UTF8.self)
        }
    }
}
