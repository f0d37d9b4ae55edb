import CHDF5

/// An open dataset: shape and type queries, typed reads of the whole
/// dataset or of a range along its first dimension (a hyperslab), and
/// appends to extendible 1-D datasets.
///
/// Reads check the element class first (integers are read as integer
/// types, floats as float types; HDF5 converts size and signedness and
/// FeastIO aborts on values that do not fit). Holds its file open; not
/// `Sendable` for the reasons given on ``HDF5File``.
public final class HDF5Dataset {
    public let file: HDF5File
    /// Absolute object path, e.g. `/events/x`.
    public let path: String
    let id: hid_t
    let storedType: hid_t
    private var isOpen = true

    init(file: HDF5File, path: String, id: hid_t) {
        self.file = file
        self.path = path
        self.id = id
        self.storedType = H5Dget_type(id)
    }

    deinit { closeIDs() }

    /// Releases the dataset's ids now (also done on deinit).
    public func close() { closeIDs() }

    private func closeIDs() {
        guard isOpen else { return }
        isOpen = false
        // After a strong file close the ids are already gone.
        guard file.isOpen else { return }
        HDF5Library.prepareThread()
        H5Tclose(storedType)
        H5Dclose(id)
    }

    /// Extent of each dimension (the current extent for extendible ones).
    public var shape: [Int] {
        HDF5Library.prepareThread()
        let space = H5Dget_space(id)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank > 0 else { return [] }
        var dims = [hsize_t](repeating: 0, count: rank)
        H5Sget_simple_extent_dims(space, &dims, nil)
        // Clamped: a corrupt or hostile file may claim up to 2^64 - 1.
        return dims.map { Int(clamping: $0) }
    }

    /// Number of elements (saturating at `Int.max` for absurd claimed shapes).
    public var count: Int {
        var total = 1
        for extent in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: extent)
            total = overflow ? Int.max : product
        }
        return total
    }

    /// Bytes the file actually stores for the elements (after compression;
    /// 0 when nothing was ever written and reads would give fill values).
    public var storedBytes: Int { Int(clamping: H5Dget_storage_size(id)) }

    /// Size in bytes of one stored element.
    public var elementBytes: Int { Int(H5Tget_size(storedType)) }

    /// The largest ratio of claimed to stored bytes accepted. Deflate cannot
    /// exceed about 1,032:1, so real data stays far below; a file whose
    /// header claims 2^40 events over a few unwritten chunks is rejected
    /// here instead of being streamed as a trillion fill values (or allocated).
    static let maximumExpansion = 4_096

    /// Throws when the dataset claims far more elements than its stored
    /// bytes can hold (a corrupt or hostile header).
    public func checkStoredSize() throws {
        let dataset = self
        let count = dataset.count
        guard count > 0 else { return }
        let claimed = count.multipliedReportingOverflow(by: max(dataset.elementBytes, 1))
        let stored = dataset.storedBytes
        let bound = stored.multipliedReportingOverflow(by: HDF5Dataset.maximumExpansion)
        if claimed.overflow || (!bound.overflow && claimed.partialValue > bound.partialValue) {
            throw FeastIOError.invalidValue(file: file.name, object: dataset.path, index: nil,
                                            expected: "stored data for every element; at most \(HDF5Dataset.maximumExpansion):1 compression",
                                            found: "\(count) elements claimed but \(stored) bytes stored")
        }
    }

    /// numpy-style name of the stored element type (`uint16`, `float32`, ...).
    public var typeName: String { HDF5Library.describe(type: storedType) }

    /// True when the stored elements are integers.
    public var holdsIntegers: Bool { H5Tget_class(storedType) == H5T_INTEGER }

    /// True when the stored type is exactly `kind`'s native type, so reads
    /// need no conversion (the fast path).
    public func stores(exactly kind: HDF5ElementKind) -> Bool {
        H5Tequal(storedType, kind.nativeType) > 0
    }

    /// Throws unless elements of this dataset may be read as `T`.
    public func checkReadable<T: HDF5Element>(as type: T.Type) throws {
        let kind = T.hdf5Kind
        guard kind.accepts(typeClass: H5Tget_class(storedType)) else {
            throw FeastIOError.wrongType(file: file.name, object: path, expected: kind.expectedClass, found: typeName)
        }
        guard HDF5Library.hasPlainSize(storedType) else {
            throw FeastIOError.wrongType(file: file.name, object: path, expected: "\(kind.expectedClass) of 1, 2, 4 or 8 bytes", found: typeName)
        }
    }

    /// Throws unless the dataset has rank `rank`; returns its shape.
    @discardableResult
    public func checkRank(_ rank: Int) throws -> [Int] {
        let shape = self.shape
        guard shape.count == rank else {
            throw FeastIOError.wrongShape(file: file.name, object: path, expected: "a \(rank)-D dataset",
                                          found: HDF5Dataset.describe(shape: shape))
        }
        return shape
    }

    /// "2-D 3×4" / "scalar" for messages.
    static func describe(shape: [Int]) -> String {
        shape.isEmpty ? "a scalar" : "\(shape.count)-D \(shape.map(String.init).joined(separator: "×"))"
    }

    /// Reads `buffer.count` elements starting at row `row` of the first
    /// dimension; `buffer.count` must be a whole number of rows (for 1-D
    /// datasets: any count). Constant memory: only the selected chunks are
    /// decompressed.
    public func read<T: HDF5Element>(into buffer: UnsafeMutableBufferPointer<T>, fromRow row: Int) throws {
        try file.ensureOpen(path)
        try checkReadable(as: T.self)
        let shape = self.shape
        guard !shape.isEmpty else {
            throw FeastIOError.wrongShape(file: file.name, object: path, expected: "an array", found: "a scalar")
        }
        // Saturating: an absurd claimed shape fails the checks below, not a trap.
        let rowSize = shape.dropFirst().reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        guard rowSize > 0 || buffer.isEmpty, rowSize == 0 || buffer.count % rowSize == 0 else {
            throw FeastIOError.invalidArgument(file: file.name, object: path, reason: "read of \(buffer.count) elements is not a whole number of rows of \(rowSize)")
        }
        let rows = rowSize == 0 ? 0 : buffer.count / rowSize
        guard row >= 0, row + rows <= shape[0] else {
            throw FeastIOError.invalidArgument(file: file.name, object: path, reason: "rows \(row)..<\(row + rows) are outside 0..<\(shape[0])")
        }
        if buffer.isEmpty { return }
        let fileSpace = H5Dget_space(id)
        defer { H5Sclose(fileSpace) }
        var start = [hsize_t](repeating: 0, count: shape.count)
        var extent = shape.map { hsize_t($0) }
        start[0] = hsize_t(row)
        extent[0] = hsize_t(rows)
        H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, start, nil, extent, nil)
        var memoryExtent = [hsize_t(buffer.count)]
        let memorySpace = H5Screate_simple(1, &memoryExtent, nil)
        defer { H5Sclose(memorySpace) }
        file.overflow.hit = false
        let status = H5Dread(id, T.hdf5Kind.nativeType, memorySpace, fileSpace, file.transfer, buffer.baseAddress)
        if status < 0 {
            if file.overflow.hit {
                _ = HDF5Library.takeErrorStack()
                throw FeastIOError.invalidValue(file: file.name, object: path, index: nil,
                                                expected: "values that fit \(T.hdf5Kind.name)",
                                                found: "stored \(typeName) value out of range")
            }
            throw file.failure("read", object: path)
        }
    }

    /// Reads rows `rows` (along the first dimension) into a new array.
    public func read<T: HDF5Element>(_ type: T.Type, rows: Range<Int>) throws -> [T] {
        // Before allocating: a header claiming absurd sizes must not cost memory.
        try checkStoredSize()
        let rowSize = shape.dropFirst().reduce(1, *)
        var values = [T](repeating: T.hdf5Zero, count: rows.count * rowSize)
        try values.withUnsafeMutableBufferPointer { try read(into: $0, fromRow: rows.lowerBound) }
        return values
    }

    /// Reads every element, row-major.
    public func readAll<T: HDF5Element>(_ type: T.Type) throws -> [T] {
        let shape = self.shape
        if shape.isEmpty {
            try checkReadable(as: T.self)
            var value = [T.hdf5Zero]
            file.overflow.hit = false
            let status = value.withUnsafeMutableBufferPointer {
                H5Dread(id, T.hdf5Kind.nativeType, feast_h5s_all(), feast_h5s_all(), file.transfer, $0.baseAddress)
            }
            guard status >= 0 else {
                throw file.failure("read", object: path)
            }
            return value
        }
        return try read(T.self, rows: 0..<shape[0])
    }

    /// Appends `values` to an extendible 1-D dataset.
    public func append<T: HDF5Element>(_ values: UnsafeBufferPointer<T>) throws {
        try file.ensureWritable(path)
        guard T.hdf5Kind.accepts(typeClass: H5Tget_class(storedType)) else {
            throw FeastIOError.wrongType(file: file.name, object: path, expected: typeName, found: T.hdf5Kind.name)
        }
        if values.isEmpty { return }
        let current = hsize_t(try checkRank(1)[0])
        var newExtent = [current + hsize_t(values.count)]
        guard H5Dset_extent(id, &newExtent) >= 0 else { throw file.failure("extend", object: path) }
        let fileSpace = H5Dget_space(id)
        defer { H5Sclose(fileSpace) }
        var start = [current]
        var extent = [hsize_t(values.count)]
        H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &extent, nil)
        let memorySpace = H5Screate_simple(1, &extent, nil)
        defer { H5Sclose(memorySpace) }
        guard H5Dwrite(id, T.hdf5Kind.nativeType, memorySpace, fileSpace, feast_h5p_default(), values.baseAddress) >= 0 else {
            throw file.failure("append", object: path)
        }
    }

    /// Sets the extent of an extendible 1-D dataset.
    func setExtent(_ count: Int) throws {
        var extent = [hsize_t(count)]
        guard H5Dset_extent(id, &extent) >= 0 else { throw file.failure("extend", object: path) }
    }

    /// Appends `values` to an extendible 1-D dataset.
    public func append<T: HDF5Element>(_ values: [T]) throws {
        try values.withUnsafeBufferPointer { try append($0) }
    }
}

extension HDF5Dataset {
    /// File offset and stored size in bytes of the chunk holding element
    /// `element` of a chunked 1-D dataset (nil if unallocated). Internal:
    /// the tests corrupt chunks on purpose with it.
    func chunkLocation(element: Int) -> (offset: Int, size: Int)? {
        HDF5Library.prepareThread()
        var coordinate = [hsize_t(element)]
        var mask: UInt32 = 0
        var address: haddr_t = 0
        var size: hsize_t = 0
        guard H5Dget_chunk_info_by_coord(id, &coordinate, &mask, &address, &size) >= 0, size > 0 else {
            _ = HDF5Library.takeErrorStack()
            return nil
        }
        return (Int(address), Int(size))
    }
}
